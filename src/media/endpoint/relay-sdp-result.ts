import type { NegotiationFailureReason, SessionDescription, StreamPlan } from '../sdp/index.js';

/** Outcome of an offer or answer passed through a relay leg. */
export type RelaySdpResult =
  | {
      readonly ok: true;
      /** The rewritten SDP to send to the other leg's device (CRLF text for the SIP body). */
      readonly sdp: string;
      readonly session: SessionDescription;
      /** The relayed stream as the incoming SDP's author described it (codecs, direction, hold, address). */
      readonly stream: StreamPlan;
    }
  | {
      readonly ok: false;
      /** invalidSdp → 400 Bad Request; every other reason → 488 Not Acceptable Here. */
      readonly reason: NegotiationFailureReason;
      readonly detail: string;
    };
