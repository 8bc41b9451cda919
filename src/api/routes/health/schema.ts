import { Type } from '@sinclair/typebox';

/** Body of GET /healthz. */
export const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('starting'), Type.Literal('unavailable')]),
  ready: Type.Boolean({ description: 'The SIP listeners are bound (readiness).' }),
  store: Type.Union([Type.Literal('up'), Type.Literal('down')], { description: 'Whether the store (database) answers.' }),
});

/** Schema of GET /healthz. */
export const healthSchema = {
  summary: 'Readiness, liveness and store check',
  description:
    '200 `{ status: "ok", ready: true, store: "up" }` when the SIP listeners are bound and the store answers; 503 with ' +
    '`status: "starting"` before the SIP listeners are bound, `status: "unavailable"` while the store is down (SIP ' +
    'keeps running and answers what needs the store with 503). No authentication.',
  tags: ['health'],
  security: [],
  response: { 200: HealthResponse, 503: HealthResponse },
};
