/**
 * The vocabulary of call features (STYLE.md principle 8): a feature reads the facts of a call
 * ({@link CallContext}) and returns an {@link Action}; the call engine (src/pbx/calls) carries it out.
 * Nothing here knows SIP messages or media.
 */
import type { ExtensionCallSettings } from '../ports.js';

/** The forwarding conditions of SPEC 2.4, plus the "return after" timer. */
export type ForwardReason = 'noAnswer' | 'busy' | 'unavailable' | 'returnAfter';

/**
 * The point of the policy at which the chain is asked to decide for `target`:
 * - `initial`: the call has just reached `target` (the first call, or after a forward to it);
 * - `noAnswer`: `target`'s devices rang for the ring time and nobody answered;
 * - `busy`: every device of `target` refused (486/600/603, INTEROP.md) while ringing;
 * - `unavailable`: every device of `target` failed (timeout, 408/480/503) while ringing;
 * - `returnAfter`: `target` forwarded the call and the forward target did not answer within
 *   `returnAfterSeconds` (or its branch failed first).
 */
export type CallReason = 'initial' | 'noAnswer' | 'busy' | 'unavailable' | 'returnAfter';

/** Where a forward action sends the call. */
export type ForwardDestination =
  | { readonly kind: 'extension'; readonly number: string }
  /** The mailbox of extension `extension` (a number). */
  | { readonly kind: 'voicemail'; readonly extension: string }
  | { readonly kind: 'external'; readonly e164: string };

/** One forward hop already made in this call, oldest first. */
export interface ForwardHop {
  /** Extension number that forwarded the call. */
  readonly from: string;
  readonly to: ForwardDestination;
  readonly reason: ForwardReason;
}

/** Who is calling, as far as the PBX knows. */
export interface CallerInfo {
  /** The caller's extension number when the caller is an extension of the same tenant. */
  readonly extension?: string;
  /** The caller's account name (internal) or the From display name (external). */
  readonly name?: string;
  /** What the callee's phone shows as the calling number (see `internalCallerIdentity`). */
  readonly display: string;
}

/** The facts of a call at one decision point. No SIP objects: plain data only. */
export interface CallContext {
  readonly tenantId: string;
  readonly caller: CallerInfo;
  /** The number originally dialled by the caller. */
  readonly dialled: string;
  /** The extension being decided for (the dialled one, or a forward target). */
  readonly target: ExtensionCallSettings;
  readonly reason: CallReason;
  /** How many devices of `target` are registered now. */
  readonly registeredDevices: number;
  /**
   * `target` already has an answered call on any of its devices (SPEC 2.2 "busy"). At `noAnswer`
   * the engine sets it when `target` had an answered call at any moment while this call rang, so
   * that an unanswered call to an extension on the phone counts as busy, not as no answer.
   */
  readonly targetOnAnsweredCall: boolean;
  /** Forward hops made so far in this call, oldest first (loop and hop limits, Diversion). */
  readonly hops: readonly ForwardHop[];
  /** Decision time, ms since the epoch. */
  readonly now: number;
}

/** SIP statuses a feature may reject a call with. */
export type RejectStatus = 403 | 404 | 480 | 482 | 483 | 486 | 487 | 488 | 503 | 603;

/** Ring every registered device of the target for `ringTimeSeconds`. */
export interface RingDevicesAction {
  readonly kind: 'ringDevices';
  readonly ringTimeSeconds: number;
  /**
   * True when the target is already on an answered call and is rung anyway (call waiting): the
   * device on the call signals a waiting call; an unanswered end of this ringing counts as busy.
   */
  readonly callWaiting: boolean;
}

/** Send the call on to another extension, a mailbox or an external number. */
export interface ForwardAction {
  readonly kind: 'forward';
  readonly target: ForwardDestination;
  readonly reason: ForwardReason;
  /**
   * When set: if the forward target does not answer within this many seconds, the engine asks the
   * chain again for the forwarding extension with reason `returnAfter`.
   */
  readonly returnAfterSeconds?: number;
  /** External target only: the answering party must press 1 to accept (SPEC 2.4). */
  readonly confirm?: boolean;
}

/** Answer the caller with a final failure response. */
export interface RejectAction {
  readonly kind: 'reject';
  readonly status: RejectStatus;
  /** Reason phrase for the response (and the CDR's end reason). */
  readonly reason: string;
}

/** This feature has nothing to say at this point: ask the next one. */
export interface ContinueAction {
  readonly kind: 'continue';
}

/** What a feature decides. The engine, not the feature, carries it out. */
export type Action = RingDevicesAction | ForwardAction | RejectAction | ContinueAction;

/** A final decision: every action except `continue`. */
export type Decision = Exclude<Action, ContinueAction>;

/** One small, composable call decision (STYLE.md principle 8). */
export interface CallFeature {
  /** Short stable name, for logs and `describeCall()`. */
  readonly name: string;
  /** Pure: reads only the context, never throws for a well-formed context. */
  decide(ctx: CallContext): Action;
}
