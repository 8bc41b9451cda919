import { Type, type Static } from '@sinclair/typebox';
import { AUTH_ERRORS, errorResponses } from '../../common-schemas.js';

/** Where one leg's media passes the relay. */
export const LiveCallMediaSchema = Type.Object(
  {
    relayAddress: Type.String({ description: 'Address the relay gave this device in SDP', examples: ['203.0.113.10'] }),
    relayPort: Type.Integer({ description: "The relay's RTP port for this device (RTCP: the next port)" }),
    device: Type.Union([Type.String(), Type.Null()], {
      description: "The device's RTP address (address:port) once its media arrived or its SDP named it; null before",
      examples: ['198.51.100.7:40000'],
    }),
  },
  { title: 'LiveCallMedia' },
);

/** One call in progress. */
export const LiveCallSchema = Type.Object(
  {
    id: Type.String({ description: 'Id of the live call (the {liveCallId} of DELETE; later also the call history record id)' }),
    tenantId: Type.String(),
    callId: Type.String({ description: "SIP Call-ID of the caller's INVITE" }),
    callerNumber: Type.String({ description: "The caller's extension number" }),
    callerName: Type.String({ description: "The caller's account name" }),
    callee: Type.String({ description: 'The number dialled' }),
    answeredBy: Type.Union([Type.String(), Type.Null()], { description: 'Extension that answered (after forwarding it differs from callee); null while ringing' }),
    state: Type.Union([Type.Literal('routing'), Type.Literal('ringing'), Type.Literal('answered')], {
      description: 'routing: deciding where it goes; ringing: devices are ringing; answered: in conversation',
    }),
    startedAt: Type.String({ format: 'date-time' }),
    answeredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    durationSeconds: Type.Integer({ minimum: 0, description: 'Seconds since the answer; 0 while not answered' }),
    codecs: Type.Array(Type.String(), { description: 'Codecs negotiated through the relay, preferred first; empty before the answer', examples: [['PCMU']] }),
    onHold: Type.Boolean({ description: 'A side has put the call on hold' }),
    media: Type.Object({ caller: LiveCallMediaSchema, callee: LiveCallMediaSchema }),
  },
  { title: 'LiveCall' },
);

/** Path parameters of one live call. */
export const LiveCallParams = Type.Object({ tenantId: Type.String(), liveCallId: Type.String({ description: 'The id of a live call' }) });
/** Static type of {@link LiveCallParams}. */
export type LiveCallParams = Static<typeof LiveCallParams>;

/** Schema of GET /tenants/:tenantId/calls/active. */
export const listLiveCallsSchema = {
  summary: "The tenant's calls in progress, oldest first (not paginated: bounded by the relay's ports)",
  tags: ['calls'],
  params: Type.Object({ tenantId: Type.String() }),
  response: { 200: Type.Object({ items: Type.Array(LiveCallSchema) }), ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of DELETE /tenants/:tenantId/calls/active/:liveCallId. */
export const hangUpLiveCallSchema = {
  summary: 'Hangs a call up: BYE to both phones (a ringing call: the caller gets 480, the devices CANCEL)',
  description:
    'Answers 204 once both phones have answered the BYE, or after at most 5 s when one does not (the call is ended ' +
    'either way). The call history record says ' +
    'endedBy operator or admin.',
  tags: ['calls'],
  params: LiveCallParams,
  response: { 204: Type.Null(), ...errorResponses(...AUTH_ERRORS) },
};
