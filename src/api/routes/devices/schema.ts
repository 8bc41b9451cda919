import { Type, type Static } from '@sinclair/typebox';
import { AUTH_ERRORS, ExtensionRef, TenantRef, errorResponses } from '../../common-schemas.js';

/** One registered device of an extension (a SIP binding). */
export const DeviceSchema = Type.Object(
  {
    id: Type.String(),
    contact: Type.String({ description: 'Contact URI the device registered' }),
    userAgent: Type.Union([Type.String(), Type.Null()], { description: 'User-Agent header of its REGISTER' }),
    sourceAddress: Type.String({ description: 'Address its REGISTER came from (after NAT)' }),
    sourcePort: Type.Integer(),
    transport: Type.String({ description: 'udp, tcp, tls, ws or wss' }),
    expiresAt: Type.String({ format: 'date-time' }),
    expiresInSeconds: Type.Integer({ minimum: 0 }),
    registeredAt: Type.String({ format: 'date-time' }),
    refreshedAt: Type.String({ format: 'date-time' }),
    instanceId: Type.Union([Type.String(), Type.Null()], { description: '+sip.instance of the device (RFC 5626)' }),
    q: Type.Number({ minimum: 0, maximum: 1 }),
  },
  { title: 'Device' },
);

/** Path parameters of the device list. */
export const DeviceListParams = Type.Object({ tenantId: TenantRef, extensionId: ExtensionRef });
/** Static type of {@link DeviceListParams}. */
export type DeviceListParams = Static<typeof DeviceListParams>;

/** Schema of GET /tenants/:tenantId/extensions/:extensionId/devices. */
export const listDevicesSchema = {
  summary: "List an extension's registered devices (live registrations)",
  tags: ['extensions'],
  params: DeviceListParams,
  response: { 200: Type.Object({ items: Type.Array(DeviceSchema) }), ...errorResponses(...AUTH_ERRORS) },
};
