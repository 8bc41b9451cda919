import { Type, type Static } from '@sinclair/typebox';
import { AUTH_ERRORS, MoneySchema, PageOf, PageQuery, TenantParams, Timestamp, errorResponses } from '../../common-schemas.js';
import { DOMAIN_CHECKED } from '../../schema-validation.js';

/** A tenant (customer company) as the API shows it. */
export const TenantSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    sipDomain: Type.String({ description: 'SIP domain and digest realm, unique on the platform' }),
    country: Type.String({ description: 'ISO 3166-1 alpha-2, for national-form numbers' }),
    mainNumber: Type.Union([Type.String(), Type.Null()], { description: 'E.164, one of the tenant numbers' }),
    defaultMaxRate: MoneySchema,
    language: Type.Union([Type.Literal('pl'), Type.Literal('en')]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Tenant' },
);

const Money = Type.Object(
  { amountMinor: Type.Integer({ ...DOMAIN_CHECKED }), currency: Type.String({ ...DOMAIN_CHECKED }) },
  { additionalProperties: false, ...DOMAIN_CHECKED },
);

const tenantFields = {
  name: Type.String({ description: '1–100 characters', ...DOMAIN_CHECKED }),
  sipDomain: Type.String({ description: 'Lower-case DNS name or IPv4 address', ...DOMAIN_CHECKED }),
  country: Type.String({ description: 'ISO 3166-1 alpha-2 (default PL)', ...DOMAIN_CHECKED }),
  defaultMaxRate: Money,
  language: Type.String({ description: 'pl or en (default pl)', ...DOMAIN_CHECKED }),
};

/** Body of POST /tenants. */
export const TenantCreateBody = Type.Object(
  {
    name: tenantFields.name,
    sipDomain: tenantFields.sipDomain,
    country: Type.Optional(tenantFields.country),
    defaultMaxRate: Type.Optional(tenantFields.defaultMaxRate),
    language: Type.Optional(tenantFields.language),
  },
  { additionalProperties: false },
);
/** Static type of {@link TenantCreateBody}. */
export type TenantCreateBody = Static<typeof TenantCreateBody>;

/** Body of PATCH /tenants/:tenantId. */
export const TenantPatchBody = Type.Object(
  {
    name: Type.Optional(tenantFields.name),
    sipDomain: Type.Optional(tenantFields.sipDomain),
    country: Type.Optional(tenantFields.country),
    mainNumber: Type.Optional(Type.String({ description: 'One of the tenant numbers', ...DOMAIN_CHECKED })),
    defaultMaxRate: Type.Optional(tenantFields.defaultMaxRate),
    language: Type.Optional(tenantFields.language),
  },
  { additionalProperties: false },
);
/** Static type of {@link TenantPatchBody}. */
export type TenantPatchBody = Static<typeof TenantPatchBody>;

/** Schema of POST /tenants. */
export const createTenantSchema = {
  summary: 'Create a tenant (operator)',
  tags: ['tenants'],
  body: TenantCreateBody,
  response: { 201: TenantSchema, ...errorResponses(...AUTH_ERRORS, 409) },
};

/** Schema of GET /tenants. */
export const listTenantsSchema = {
  summary: 'List tenants (operator), ordered by SIP domain',
  tags: ['tenants'],
  querystring: PageQuery,
  response: { 200: PageOf(TenantSchema), ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of GET /tenants/:tenantId. */
export const getTenantSchema = {
  summary: 'Get a tenant (operator, or its own admin)',
  tags: ['tenants'],
  params: TenantParams,
  response: { 200: TenantSchema, ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of PATCH /tenants/:tenantId. */
export const updateTenantSchema = {
  summary: 'Change a tenant (operator)',
  tags: ['tenants'],
  params: TenantParams,
  body: TenantPatchBody,
  response: { 200: TenantSchema, ...errorResponses(...AUTH_ERRORS, 409) },
};
