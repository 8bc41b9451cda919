import { Type, type Static } from '@sinclair/typebox';
import { PAGE_LIMITS } from '../../../domain/index.js';
import { AUTH_ERRORS, PageOf, TenantParams, TenantRef, errorResponses } from '../../common-schemas.js';
import { DOMAIN_CHECKED } from '../../schema-validation.js';

/** One outgoing leg of a call: one device rung, or one forward target. */
export const CallLegSchema = Type.Object(
  {
    target: Type.String({ description: 'Extension number of the leg (the forward target for forwarded legs), or an E.164 number' }),
    contact: Type.String({ description: 'Contact URI of the device rung; empty when the leg never reached a device' }),
    callId: Type.String({ description: "SIP Call-ID of this leg's INVITE" }),
    answered: Type.Boolean(),
    finalStatus: Type.Union([Type.Integer(), Type.Null()], { description: 'Final SIP status of the leg (200, 486, 487 …); null when none arrived' }),
  },
  { title: 'CallLeg' },
);

/** One forwarding hop of a call (SPEC 2.4), in order. */
export const CallHopSchema = Type.Object(
  {
    from: Type.String({ description: 'Extension number that forwarded' }),
    to: Type.String({ description: 'An extension number, voicemail:<number>, or an E.164 number' }),
    reason: Type.Union([Type.Literal('noAnswer'), Type.Literal('busy'), Type.Literal('unavailable'), Type.Literal('returnAfter')]),
  },
  { title: 'CallHop' },
);

/** One call of the call history (a call detail record). */
export const CallRecordSchema = Type.Object(
  {
    id: Type.String({ description: 'Record id (the {callId} of GET …/calls/{callId})' }),
    tenantId: Type.String(),
    callId: Type.String({ description: "SIP Call-ID of the caller's INVITE" }),
    callerNumber: Type.String({ description: "The caller's extension number, or the number it presented" }),
    callerName: Type.Union([Type.String(), Type.Null()], { description: "The caller's account name, if known" }),
    callerExtensionId: Type.Union([Type.String(), Type.Null()]),
    callee: Type.String({ description: 'The number dialled' }),
    calleeExtensionId: Type.Union([Type.String(), Type.Null()]),
    answeredBy: Type.Union([Type.String(), Type.Null()], { description: 'Extension that answered (after forwarding it differs from callee)' }),
    disposition: Type.Union(
      ['answered', 'no-answer', 'busy', 'unavailable', 'failed', 'cancelled'].map((d) => Type.Literal(d)),
      { description: 'How the call ended, see docs/calls.md' },
    ),
    endedBy: Type.Union(
      ['caller', 'callee', 'system', 'operator', 'admin'].map((d) => Type.Literal(d)),
      { description: 'Who ended the call; operator / admin: hung up through DELETE …/calls/active/{liveCallId}' },
    ),
    endStatus: Type.Integer({ description: 'SIP status that ended the call (final response to the caller, or 200 for a BYE)' }),
    endReason: Type.String({ examples: ['caller hung up', '486 Busy Here'] }),
    startedAt: Type.String({ format: 'date-time' }),
    answeredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    endedAt: Type.String({ format: 'date-time' }),
    durationSeconds: Type.Integer({ minimum: 0, description: 'Seconds from answer to end; 0 when unanswered' }),
    legs: Type.Array(CallLegSchema),
    hops: Type.Array(CallHopSchema),
  },
  { title: 'CallRecord' },
);

/** Query of the call list: filters and the page. Value rules are the call history service's (field-level codes). */
export const CallListQuery = Type.Object(
  {
    extension: Type.Optional(
      Type.String({ description: 'Extension number: calls it made, was dialled on, answered, rang on or forwarded', examples: ['101'], ...DOMAIN_CHECKED }),
    ),
    from: Type.Optional(
      Type.String({ format: 'date-time', description: 'Calls started at or after this ISO 8601 date-time (with a zone)', ...DOMAIN_CHECKED }),
    ),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Calls started before this ISO 8601 date-time (with a zone)', ...DOMAIN_CHECKED })),
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
/** Static type of {@link CallListQuery}. */
export type CallListQuery = Static<typeof CallListQuery>;

/** Path parameters of one call. */
export const CallParams = Type.Object({ tenantId: TenantRef, callId: Type.String({ description: 'The record id' }) });
/** Static type of {@link CallParams}. */
export type CallParams = Static<typeof CallParams>;

/** Schema of GET /tenants/:tenantId/calls. */
export const listCallsSchema = {
  summary: "The tenant's call history, newest first, filtered by extension and time",
  tags: ['calls'],
  params: TenantParams,
  querystring: CallListQuery,
  response: { 200: PageOf(CallRecordSchema), ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of GET /tenants/:tenantId/calls/:callId. */
export const getCallSchema = {
  summary: 'One call of the call history with its legs and forwarding hops',
  tags: ['calls'],
  params: CallParams,
  response: { 200: CallRecordSchema, ...errorResponses(...AUTH_ERRORS) },
};
