import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { PAGE_LIMITS } from '../domain/index.js';
import { DOMAIN_CHECKED } from './schema-validation.js';

/** The error JSON of every failed request. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable code, see docs/api-errors.md', examples: ['EXTENSION_NUMBER_TAKEN'] }),
      message: Type.String({ description: 'English message' }),
      field: Type.Optional(Type.String({ description: 'Dotted path of the input at fault', examples: ['voicemail.pin'] })),
      messages: Type.Object({ pl: Type.String(), en: Type.String() }),
      details: Type.Optional(Type.Object({}, { additionalProperties: true })),
    }),
  },
  { title: 'Error' },
);

/** Error responses for the given statuses, for a route's `response` schema. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of statuses) out[status] = ErrorResponse;
  return out;
}

/** Statuses every authenticated route may answer with. */
export const AUTH_ERRORS = [400, 401, 403, 404] as const;

/** `limit` and `cursor` of a list request. */
export const PageQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: PAGE_LIMITS.max,
        default: PAGE_LIMITS.default,
        description: `Page size 1–${PAGE_LIMITS.max} (default ${PAGE_LIMITS.default})`,
        ...DOMAIN_CHECKED,
      }),
    ),
    cursor: Type.Optional(Type.String({ description: 'The nextCursor of the previous page', ...DOMAIN_CHECKED })),
  },
  { additionalProperties: false },
);

/** Static type of {@link PageQuery}. */
export type PageQuery = Static<typeof PageQuery>;

/** A page of `item`s: `nextCursor` is null on the last page. */
export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

/** A timestamp (ISO 8601 in responses). */
export const Timestamp = Type.String({ format: 'date-time' });

/** An amount in minor units of a currency. */
export const MoneySchema = Type.Object(
  {
    amountMinor: Type.Integer({ description: 'Integer minor units (grosz, cent)' }),
    currency: Type.String({ description: 'ISO 4217 code', examples: ['PLN'] }),
  },
  { additionalProperties: false },
);

/** A `:tenantId` path parameter: the tenant id or its SIP domain (resolved by the tenant scope). */
export const TenantRef = Type.String({
  description: "The tenant's id or its SIP domain (case-insensitive), e.g. acme.pbx.example",
});

/** An `:extensionId` path parameter: the extension id or its number within the tenant. */
export const ExtensionRef = Type.String({ description: 'The extension id or its number within the tenant, e.g. 101' });

/** Path parameters of every tenant-scoped route. */
export const TenantParams = Type.Object({ tenantId: TenantRef });
/** Static type of {@link TenantParams}. */
export type TenantParams = Static<typeof TenantParams>;
