import { Type, type Static } from '@sinclair/typebox';
import { AUTH_ERRORS, TenantParams, Timestamp, errorResponses } from '../../common-schemas.js';
import { DOMAIN_CHECKED } from '../../schema-validation.js';

/** A freshly created API token: `token` is shown only in this response. */
export const CreatedTokenSchema = Type.Object(
  {
    token: Type.Union([Type.String(), Type.Null()], {
      description: 'The bearer token; store it now, it is never shown again (null in a replay of an Idempotency-Key)',
    }),
    id: Type.String(),
    kind: Type.Union([Type.Literal('operator'), Type.Literal('tenant')]),
    tenantId: Type.Union([Type.String(), Type.Null()]),
    label: Type.String(),
    createdAt: Timestamp,
  },
  { title: 'CreatedToken' },
);

/** Body of the token-creating routes. */
export const TokenCreateBody = Type.Object(
  { label: Type.Optional(Type.String({ description: 'What the token is for', ...DOMAIN_CHECKED })) },
  { additionalProperties: false },
);
/** Static type of {@link TokenCreateBody}. */
export type TokenCreateBody = Static<typeof TokenCreateBody>;

/** Path parameters of DELETE /tokens/:tokenId. */
export const TokenParams = Type.Object({ tokenId: Type.String() });

/** Schema of POST /tenants/:tenantId/tokens. */
export const createTenantTokenSchema = {
  summary: 'Create an API token scoped to one tenant (operator)',
  tags: ['tokens'],
  params: TenantParams,
  body: TokenCreateBody,
  response: { 201: CreatedTokenSchema, ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of POST /tokens. */
export const createOperatorTokenSchema = {
  summary: 'Create another operator token (operator)',
  tags: ['tokens'],
  body: TokenCreateBody,
  response: { 201: CreatedTokenSchema, ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of DELETE /tokens/:tokenId. */
export const revokeTokenSchema = {
  summary: 'Revoke a token (operator; idempotent)',
  tags: ['tokens'],
  params: TokenParams,
  response: { 204: Type.Null(), ...errorResponses(...AUTH_ERRORS) },
};
