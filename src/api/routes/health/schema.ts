import { Type } from '@sinclair/typebox';

/** Body of GET /healthz. */
export const HealthResponse = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]) });

/** Schema of GET /healthz. */
export const healthSchema = {
  summary: 'Liveness and store check',
  description: '200 `{ status: "ok" }` when the store answers, 503 `{ status: "unavailable" }` otherwise. No authentication.',
  tags: ['health'],
  security: [],
  response: { 200: HealthResponse, 503: HealthResponse },
};
