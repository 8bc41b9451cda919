import { Type, type Static } from '@sinclair/typebox';
import { AUTH_ERRORS, Timestamp, errorResponses } from '../../common-schemas.js';

/** One brute-force block of SIP authentication (docs/registrar.md, "Brute-force protection"). */
export const SecurityBlockSchema = Type.Object(
  {
    id: Type.String({ description: 'Block id (the {blockId} of DELETE …/security/blocks/{blockId})' }),
    scope: Type.Union([Type.Literal('source'), Type.Literal('source-extension'), Type.Literal('extension')], {
      description:
        'source: the address, for every extension (a scanner); source-extension: one extension from one address (a misconfigured phone); extension: one extension from every address not trusted for it',
    }),
    source: Type.String({
      description: 'The address blocked (IPv4, or an IPv6 /64); for an extension block the address whose failure started it',
      examples: ['203.0.113.7', '2001:db8:1:2::/64'],
    }),
    tenantId: Type.Union([Type.String(), Type.Null()], { description: 'The tenant whose SIP domain was tried; null when no tenant has it' }),
    sipDomain: Type.String({ description: 'The SIP domain (digest realm) tried; for a source block the last one' }),
    extension: Type.String({ description: 'The extension (digest username) blocked; for a source block the last one tried' }),
    failures: Type.Integer({ description: 'Failed authentications in the window that started the block' }),
    since: Timestamp,
    until: Timestamp,
    remainingSeconds: Type.Integer({ minimum: 0 }),
  },
  { title: 'SecurityBlock' },
);

/** Filters of the block list. */
export const SecurityBlockQuery = Type.Object(
  {
    source: Type.Optional(Type.String({ description: 'Only blocks of this address (an IPv6 address matches its /64)', examples: ['203.0.113.7'] })),
    tenant: Type.Optional(Type.String({ description: 'Only blocks of this tenant (id or SIP domain)' })),
    extension: Type.Optional(Type.String({ description: 'Only blocks of this extension number', examples: ['101'] })),
  },
  { additionalProperties: false },
);
/** Static type of {@link SecurityBlockQuery}. */
export type SecurityBlockQuery = Static<typeof SecurityBlockQuery>;

/** Path parameters of one block. */
export const SecurityBlockParams = Type.Object({ blockId: Type.String() });
/** Static type of {@link SecurityBlockParams}. */
export type SecurityBlockParams = Static<typeof SecurityBlockParams>;

/** Schema of GET /security/blocks. */
export const listSecurityBlocksSchema = {
  summary: 'Brute-force blocks of SIP authentication in force, oldest first (operator)',
  tags: ['security'],
  querystring: SecurityBlockQuery,
  response: { 200: Type.Object({ items: Type.Array(SecurityBlockSchema) }), ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of DELETE /security/blocks/:blockId. */
export const liftSecurityBlockSchema = {
  summary: 'Lift a block at once (operator); 404 SECURITY_BLOCK_NOT_FOUND when it ended or was lifted already',
  tags: ['security'],
  params: SecurityBlockParams,
  response: { 204: Type.Null(), ...errorResponses(...AUTH_ERRORS) },
};
