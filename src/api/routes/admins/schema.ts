import { Type, type Static } from '@sinclair/typebox';
import { AUTH_ERRORS, TenantParams, Timestamp, errorResponses } from '../../common-schemas.js';
import { DOMAIN_CHECKED } from '../../schema-validation.js';

/** A customer admin (never with a password hash). */
export const AdminSchema = Type.Object(
  { id: Type.String(), tenantId: Type.String(), email: Type.String(), createdAt: Timestamp },
  { title: 'Admin' },
);

/** Body of POST /tenants/:tenantId/admins. */
export const AdminCreateBody = Type.Object(
  {
    email: Type.String({ description: 'Login e-mail, unique on the platform', ...DOMAIN_CHECKED }),
    password: Type.String({ description: '12–256 characters with letters and digits', ...DOMAIN_CHECKED }),
  },
  { additionalProperties: false },
);
/** Static type of {@link AdminCreateBody}. */
export type AdminCreateBody = Static<typeof AdminCreateBody>;

/** Schema of POST /tenants/:tenantId/admins. */
export const createAdminSchema = {
  summary: 'Create a customer admin who logs in to the panel (operator)',
  tags: ['admins'],
  params: TenantParams,
  body: AdminCreateBody,
  response: { 201: AdminSchema, ...errorResponses(...AUTH_ERRORS, 409) },
};
