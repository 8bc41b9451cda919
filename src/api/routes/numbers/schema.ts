import { Type, type Static } from '@sinclair/typebox';
import { AUTH_ERRORS, PageOf, PageQuery, TenantParams, TenantRef, Timestamp, errorResponses } from '../../common-schemas.js';
import { DOMAIN_CHECKED } from '../../schema-validation.js';

/** A public number (DID) of a tenant. */
export const PhoneNumberSchema = Type.Object(
  {
    id: Type.String(),
    tenantId: Type.String(),
    e164: Type.String({ examples: ['+48221234567'] }),
    extensionId: Type.Union([Type.String(), Type.Null()], { description: 'Extension inbound calls go to' }),
    extensionNumber: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
  },
  { title: 'PhoneNumber' },
);

const extensionNumber = Type.Union([Type.String(), Type.Null()], {
  description: 'Number of the extension inbound calls go to; null for none',
  ...DOMAIN_CHECKED,
});

/** Body of POST /tenants/:tenantId/numbers. */
export const NumberCreateBody = Type.Object(
  {
    number: Type.String({ description: 'E.164 or national form of the tenant country', ...DOMAIN_CHECKED }),
    extensionNumber: Type.Optional(extensionNumber),
  },
  { additionalProperties: false },
);
/** Static type of {@link NumberCreateBody}. */
export type NumberCreateBody = Static<typeof NumberCreateBody>;

/** Body of PATCH /tenants/:tenantId/numbers/:number. */
export const NumberRouteBody = Type.Object({ extensionNumber }, { additionalProperties: false });
/** Static type of {@link NumberRouteBody}. */
export type NumberRouteBody = Static<typeof NumberRouteBody>;

/** Path parameters of one number (E.164; `+` may be sent as `%2B`). */
export const NumberParams = Type.Object({ tenantId: TenantRef, number: Type.String() });
/** Static type of {@link NumberParams}. */
export type NumberParams = Static<typeof NumberParams>;

/** Schema of POST /tenants/:tenantId/numbers. */
export const addNumberSchema = {
  summary: 'Assign a public number to a tenant (operator)',
  description: 'The first number becomes the main number. Numbers are allocated by the operator (anti-spoofing).',
  tags: ['numbers'],
  params: TenantParams,
  body: NumberCreateBody,
  response: { 201: PhoneNumberSchema, ...errorResponses(...AUTH_ERRORS, 409) },
};

/** Schema of GET /tenants/:tenantId/numbers. */
export const listNumbersSchema = {
  summary: "List a tenant's numbers, ordered by E.164",
  tags: ['numbers'],
  params: TenantParams,
  querystring: PageQuery,
  response: { 200: PageOf(PhoneNumberSchema), ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of GET /tenants/:tenantId/numbers/:number. */
export const getNumberSchema = {
  summary: 'Get one number',
  tags: ['numbers'],
  params: NumberParams,
  response: { 200: PhoneNumberSchema, ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of PATCH /tenants/:tenantId/numbers/:number. */
export const routeNumberSchema = {
  summary: 'Route inbound calls of a number to an extension (or to none)',
  tags: ['numbers'],
  params: NumberParams,
  body: NumberRouteBody,
  response: { 200: PhoneNumberSchema, ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of DELETE /tenants/:tenantId/numbers/:number. */
export const deleteNumberSchema = {
  summary: 'Remove a number from a tenant (operator)',
  tags: ['numbers'],
  params: NumberParams,
  response: { 204: Type.Null(), ...errorResponses(...AUTH_ERRORS, 409) },
};
