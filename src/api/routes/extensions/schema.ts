import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { FEATURE_SWITCHES, INTERNATIONAL_LEVELS, isFeatureAvailable } from '../../../domain/index.js';
import { AUTH_ERRORS, ExtensionRef, PageOf, PageQuery, TenantParams, Timestamp, TenantRef, errorResponses } from '../../common-schemas.js';
import { DOMAIN_CHECKED } from '../../schema-validation.js';
import { LedgerEntrySchema } from '../ledger/schema.js';

// Output shapes mirror the domain's ExtensionView; input shapes list the same fields, every one checked by the
// domain rules (so a wrong value gets the rule's own code and field, as from the CLI), unknown fields refused.

const kind = <K extends string>(k: K, extra: Record<string, TSchema> = {}) =>
  Type.Object({ kind: Type.Literal(k), ...extra }, { additionalProperties: false });

const CallerId = Type.Union([kind('main'), kind('number', { e164: Type.String() }), kind('hidden')], {
  description: "External caller ID: the tenant's main number, one of its numbers, or hidden (CLIR)",
});
const InternalCallerId = Type.Union([kind('extension'), kind('custom', { value: Type.String() })], {
  description: 'What colleagues see: the extension number, or a substitute of 1–32 characters',
});
const ForwardTarget = Type.Union(
  [kind('none'), kind('extension', { number: Type.String() }), kind('voicemail'), kind('external', { e164: Type.String() })],
  { description: 'Forward target: none, another extension, this voicemail, or an external number' },
);
const Level = Type.Union(INTERNATIONAL_LEVELS.map((l) => Type.Literal(l)));
const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** An extension as admins see it: every setting of SPEC §2, no secrets (only whether each PIN is set). */
export const ExtensionSchema = Type.Object(
  {
    id: Type.String(),
    tenantId: Type.String(),
    number: Type.String(),
    name: Type.String(),
    general: Type.Object({
      callerId: CallerId,
      internalCallerId: InternalCallerId,
      smsSender: nullable(Type.String()),
      ringTimeSeconds: Type.Integer(),
      callWaiting: Type.Boolean(),
    }),
    voicemail: Type.Object({
      enabled: Type.Boolean(),
      email: nullable(Type.String()),
      greeting: Type.Union([Type.Literal('system'), Type.Literal('custom')]),
      greetingAppliesTo: Type.Object({ noAnswerOrUnavailable: Type.Boolean(), busy: Type.Boolean() }),
      pinSet: Type.Boolean(),
    }),
    forwarding: Type.Object({
      noAnswer: ForwardTarget,
      busy: ForwardTarget,
      unavailable: ForwardTarget,
      returnAfterSeconds: nullable(Type.Integer()),
      confirmExternal: Type.Boolean(),
    }),
    advanced: Type.Object({
      encryption: Type.Boolean(),
      internationalLevel: Level,
      allowPremium: Type.Boolean(),
      maxRateMinor: nullable(Type.Integer()),
      monitoring: Type.Boolean(),
      fax: Type.Boolean(),
      outgoingPinSet: Type.Boolean(),
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Extension' },
);

/** `description`, plus a note naming the features not built yet that a value of `field` would turn on. */
function withAvailability(field: string, description: string): string {
  const unbuilt = [...new Set(FEATURE_SWITCHES.filter((s) => s.field === field && !isFeatureAvailable(s.feature)).map((s) => s.feature))];
  return unbuilt.length === 0 ? description : `${description}. Not available yet (${unbuilt.join(', ')}): turning it on is refused with FEATURE_NOT_AVAILABLE`;
}

const checked = <T extends TSchema>(t: T, description: string) => Type.Optional({ ...t, description, ...DOMAIN_CHECKED });
const section = <P extends Record<string, TSchema>>(properties: P, description: string) =>
  Type.Optional(Type.Object(properties, { additionalProperties: false, description, ...DOMAIN_CHECKED }));

const inputSections = {
  general: section(
    {
      callerId: checked(CallerId, withAvailability('general.callerId', 'Default { kind: "main" }')),
      internalCallerId: checked(InternalCallerId, 'Default { kind: "extension" }'),
      smsSender: checked(nullable(Type.String()), withAvailability('general.smsSender', '1–11 GSM letters/digits/spaces, or a tenant number; null: main number')),
      ringTimeSeconds: checked(Type.Integer(), '5–300 seconds, default 30'),
      callWaiting: checked(Type.Boolean(), 'Default true'),
    },
    'General settings (SPEC 2.2)',
  ),
  voicemail: section(
    {
      enabled: checked(Type.Boolean(), withAvailability('voicemail.enabled', 'Default false; needs a PIN')),
      pin: checked(nullable(Type.String()), '4–8 digits, stored hashed; null clears it'),
      email: checked(nullable(Type.String()), 'Where new messages are e-mailed'),
      greeting: checked(Type.Union([Type.Literal('system'), Type.Literal('custom')]), 'Default system'),
      greetingAppliesTo: checked(
        Type.Object({ noAnswerOrUnavailable: Type.Boolean(), busy: Type.Boolean() }, { additionalProperties: false }),
        'Situations the custom greeting is played in',
      ),
    },
    'Voicemail (SPEC 2.3)',
  ),
  forwarding: section(
    {
      noAnswer: checked(ForwardTarget, withAvailability('forwarding.noAnswer', 'Target when nobody answers within the ring time')),
      busy: checked(ForwardTarget, withAvailability('forwarding.busy', 'Target when the extension is busy')),
      unavailable: checked(ForwardTarget, withAvailability('forwarding.unavailable', 'Target when no device is reachable')),
      returnAfterSeconds: checked(nullable(Type.Integer()), '5–300 seconds, or null for no limit'),
      confirmExternal: checked(Type.Boolean(), withAvailability('forwarding.confirmExternal', 'An external target must press 1 to accept')),
    },
    'Forwarding conditions (SPEC 2.4)',
  ),
  advanced: section(
    {
      encryption: checked(Type.Boolean(), withAvailability('advanced.encryption', 'TLS + SRTP only')),
      internationalLevel: checked(Level, 'internal, domestic (default), eu or worldwide'),
      allowPremium: checked(Type.Boolean(), 'Allow premium-rate and special destinations'),
      maxRateMinor: checked(nullable(Type.Integer()), 'Per-minute cap in minor units; null: tenant default'),
      outgoingPin: checked(nullable(Type.String()), 'PIN before external calls, 4–8 digits; null clears it'),
      monitoring: checked(Type.Boolean(), withAvailability('advanced.monitoring', 'Qualify devices and e-mail the admin on changes')),
      fax: checked(Type.Boolean(), withAvailability('advanced.fax', 'T.38 / G.711 fax pass-through')),
    },
    'Advanced options (SPEC 2.5)',
  ),
};

const quoteId = Type.Optional(
  Type.String({ description: 'Id of the quote for exactly this change; required when it costs money', ...DOMAIN_CHECKED }),
);

/** Settings of a new extension (without the quote id): used by create and by quotes. */
export const ExtensionCreateInput = Type.Object(
  {
    number: Type.String({ description: '2–6 digits, unique in the tenant', ...DOMAIN_CHECKED }),
    name: Type.String({ description: 'Account name, 1–64 characters', ...DOMAIN_CHECKED }),
    password: checked(Type.String(), 'SIP password (≥ 12, letters and digits); generated when left out'),
    ...inputSections,
  },
  { additionalProperties: false, ...DOMAIN_CHECKED },
);

/** A partial change of an extension (without the quote id): used by update and by quotes. */
export const ExtensionPatchInput = Type.Object(
  {
    number: checked(Type.String(), 'New number (a new password is generated unless one is given)'),
    name: checked(Type.String(), 'Account name, 1–64 characters'),
    password: checked(Type.String(), 'New SIP password'),
    ...inputSections,
  },
  { additionalProperties: false, ...DOMAIN_CHECKED },
);

/** Body of POST /tenants/:tenantId/extensions. */
export const ExtensionCreateBody = Type.Object({ ...ExtensionCreateInput.properties, quoteId }, { additionalProperties: false });
/** Static type of {@link ExtensionCreateBody}. */
export type ExtensionCreateBody = Static<typeof ExtensionCreateBody>;

/** Body of PATCH /tenants/:tenantId/extensions/:extensionId. */
export const ExtensionPatchBody = Type.Object({ ...ExtensionPatchInput.properties, quoteId }, { additionalProperties: false });
/** Static type of {@link ExtensionPatchBody}. */
export type ExtensionPatchBody = Static<typeof ExtensionPatchBody>;

/** Query of the extension list: the page, and an optional exact extension number. */
export const ExtensionListQuery = Type.Object(
  {
    ...PageQuery.properties,
    number: Type.Optional(Type.String({ description: 'Only the extension with this number (an empty page when there is none)', examples: ['101'] })),
  },
  { additionalProperties: false },
);
/** Static type of {@link ExtensionListQuery}. */
export type ExtensionListQuery = Static<typeof ExtensionListQuery>;

/** Path parameters of one extension. */
export const ExtensionParams = Type.Object({ tenantId: TenantRef, extensionId: ExtensionRef });
/** Static type of {@link ExtensionParams}. */
export type ExtensionParams = Static<typeof ExtensionParams>;

/** Result of a create or change: the extension, the SIP password when it was set or generated (shown once), charges. */
export const ExtensionWriteResponse = Type.Object({
  extension: ExtensionSchema,
  password: Type.Union([Type.String(), Type.Null()], { description: 'Plaintext SIP password, shown only in this response (null in a replay of an Idempotency-Key)' }),
  charges: Type.Array(LedgerEntrySchema),
});

/** A new SIP password, shown once. */
export const PasswordResponse = Type.Object({ password: Type.String() });

/** Body of POST /tenants/:tenantId/extensions/generate-password. */
export const GeneratePasswordBody = Type.Object(
  { number: Type.Optional(Type.String({ description: 'Extension number the password must not contain' })) },
  { additionalProperties: false },
);
/** Static type of {@link GeneratePasswordBody}. */
export type GeneratePasswordBody = Static<typeof GeneratePasswordBody>;

const costErrors = errorResponses(...AUTH_ERRORS, 409, 428);

/** Schema of POST /tenants/:tenantId/extensions. */
export const createExtensionSchema = {
  summary: 'Create an extension (SIP account)',
  description:
    'Validates every field (SPEC §2). When the account costs money, first POST a quote and pass its id as ' +
    '`quoteId`; without it the answer is 428 QUOTE_REQUIRED, with an outdated one 409 QUOTE_STALE.',
  tags: ['extensions'],
  params: TenantParams,
  body: ExtensionCreateBody,
  response: { 201: ExtensionWriteResponse, ...costErrors },
};

/** Schema of GET /tenants/:tenantId/extensions. */
export const listExtensionsSchema = {
  summary: 'List extensions, ordered by number',
  tags: ['extensions'],
  params: TenantParams,
  querystring: ExtensionListQuery,
  response: { 200: PageOf(ExtensionSchema), ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of GET /tenants/:tenantId/extensions/:extensionId. */
export const getExtensionSchema = {
  summary: 'Get one extension',
  tags: ['extensions'],
  params: ExtensionParams,
  response: { 200: ExtensionSchema, ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of PATCH /tenants/:tenantId/extensions/:extensionId. */
export const updateExtensionSchema = {
  summary: 'Change an extension (partial; the result is validated as a whole)',
  description: 'Turning on a paid option needs the `quoteId` of a quote for this change (428 / 409 otherwise).',
  tags: ['extensions'],
  params: ExtensionParams,
  body: ExtensionPatchBody,
  response: { 200: ExtensionWriteResponse, ...costErrors },
};

/** Schema of DELETE /tenants/:tenantId/extensions/:extensionId. */
export const deleteExtensionSchema = {
  summary: 'Delete an extension',
  tags: ['extensions'],
  params: ExtensionParams,
  response: { 204: Type.Null(), ...errorResponses(...AUTH_ERRORS, 409) },
};

/** Schema of POST /tenants/:tenantId/extensions/:extensionId/reset-password. */
export const resetPasswordSchema = {
  summary: 'Generate and store a new SIP password (shown once)',
  tags: ['extensions'],
  params: ExtensionParams,
  response: { 200: Type.Object({ extension: ExtensionSchema, password: Type.String() }), ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of POST /tenants/:tenantId/extensions/generate-password. */
export const generatePasswordSchema = {
  summary: 'Suggest a strong SIP password for the create form (nothing is stored)',
  tags: ['extensions'],
  params: TenantParams,
  body: GeneratePasswordBody,
  response: { 200: PasswordResponse, ...errorResponses(...AUTH_ERRORS) },
};
