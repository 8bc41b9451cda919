import { Type, type Static } from '@sinclair/typebox';
import { INTERNATIONAL_LEVELS } from '../../../domain/index.js';
import { AUTH_ERRORS, MoneySchema, TenantParams, TenantRef, Timestamp, errorResponses } from '../../common-schemas.js';
import { DOMAIN_CHECKED } from '../../schema-validation.js';
import { ExtensionCreateInput, ExtensionPatchInput } from '../extensions/schema.js';

/** A priced change, to be confirmed by passing its id as `quoteId` in the create/update body. */
export const QuoteSchema = Type.Object(
  {
    id: Type.String(),
    tenantId: Type.String(),
    kind: Type.Union([Type.Literal('create'), Type.Literal('update')]),
    extensionId: Type.Union([Type.String(), Type.Null()]),
    currency: Type.String(),
    lines: Type.Array(
      Type.Object({
        code: Type.String({ examples: ['extension.monthly', 'voicemail.monthly', 'extension.activation'] }),
        item: Type.String(),
        kind: Type.Union([Type.Literal('monthly'), Type.Literal('one-time')]),
        unitMinor: Type.Integer(),
        proration: Type.Union([Type.Object({ days: Type.Integer(), daysInMonth: Type.Integer() }), Type.Null()]),
        amountMinor: Type.Integer(),
      }),
    ),
    totalMinor: Type.Integer(),
    exposure: Type.Object({
      internationalLevel: Type.Union(INTERNATIONAL_LEVELS.map((l) => Type.Literal(l))),
      allowPremium: Type.Boolean(),
      maxRate: MoneySchema,
    }, { description: 'The toll-fraud exposure the change opens (SPEC 2.6)' }),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    usedAt: Type.Union([Timestamp, Type.Null()]),
  },
  { title: 'Quote' },
);

/** Body of POST /tenants/:tenantId/quotes: `kind: create` with `extension`, or `kind: update` with `extensionId` and `changes`. */
export const QuoteBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('create'), Type.Literal('update')]),
    extension: Type.Optional(ExtensionCreateInput),
    extensionId: Type.Optional(Type.String({ description: 'update: the extension id or its number', ...DOMAIN_CHECKED })),
    changes: Type.Optional(ExtensionPatchInput),
  },
  { additionalProperties: false },
);
/** Static type of {@link QuoteBody}. */
export type QuoteBody = Static<typeof QuoteBody>;

/** Path parameters of one quote. */
export const QuoteParams = Type.Object({ tenantId: TenantRef, quoteId: Type.String() });
/** Static type of {@link QuoteParams}. */
export type QuoteParams = Static<typeof QuoteParams>;

/** Schema of POST /tenants/:tenantId/quotes. */
export const createQuoteSchema = {
  summary: 'Price creating or changing an extension',
  description:
    'Validates the change like the save would, prices it from the price list (monthly fees pro-rated for the ' +
    'current month, one-time fees) and stores the quote for a limited time. Confirm by sending the same change ' +
    'with `quoteId`.',
  tags: ['quotes'],
  params: TenantParams,
  body: QuoteBody,
  response: { 201: QuoteSchema, ...errorResponses(...AUTH_ERRORS, 409) },
};

/** Schema of GET /tenants/:tenantId/quotes/:quoteId. */
export const getQuoteSchema = {
  summary: 'Get a quote',
  tags: ['quotes'],
  params: QuoteParams,
  response: { 200: QuoteSchema, ...errorResponses(...AUTH_ERRORS) },
};
