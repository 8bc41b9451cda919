import { Type } from '@sinclair/typebox';
import { AUTH_ERRORS, PageOf, PageQuery, TenantParams, Timestamp, errorResponses } from '../../common-schemas.js';

/** One confirmed charge of a tenant. */
export const LedgerEntrySchema = Type.Object(
  {
    id: Type.String(),
    tenantId: Type.String(),
    quoteId: Type.Union([Type.String(), Type.Null()]),
    extensionId: Type.Union([Type.String(), Type.Null()]),
    extensionNumber: Type.Union([Type.String(), Type.Null()]),
    code: Type.String({ examples: ['extension.monthly', 'voicemail.monthly', 'extension.activation'] }),
    amountMinor: Type.Integer(),
    currency: Type.String(),
    createdAt: Timestamp,
  },
  { title: 'LedgerEntry' },
);

/** Schema of GET /tenants/:tenantId/ledger. */
export const listLedgerSchema = {
  summary: "The tenant's ledger of confirmed charges, newest first",
  tags: ['ledger'],
  params: TenantParams,
  querystring: PageQuery,
  response: { 200: PageOf(LedgerEntrySchema), ...errorResponses(...AUTH_ERRORS) },
};
