import type { Clock, Logger, TimerHandle } from '../../lib/index.js';
import type { MediaRelay } from '../../media/index.js';
import type { SipRequest, SipStack, TransportAddress } from '../../sip/index.js';
import {
  diversionValues,
  historyInfoValues,
  internalCallerIdentity,
  internalFromValue,
  type ForwardHop,
} from '../features/index.js';
import type { BindingRecord, ExtensionCallSettings } from '../ports.js';
import { Fork, type ForkUser } from './fork.js';

/** Devices that refuse a call say so with these (INTEROP.md: baresip 486, Linphone 603). */
const REFUSALS = new Set([486, 600, 603]);

/** One round of ringing: the forks towards every device of one extension, and its no-answer timer. */
export interface Ringing {
  readonly target: ExtensionCallSettings;
  readonly forks: Fork[];
  readonly callWaiting: boolean;
  /** The target was on an answered call when ringing began (SPEC 2.2: unanswered then counts as busy). */
  readonly sawBusy: boolean;
  timer: TimerHandle | undefined;
}

/** A forward with "return after" (SPEC 2.4): ring `from` again when the forward target did not answer in time. */
interface ReturnAfter {
  readonly from: ExtensionCallSettings;
  timer: TimerHandle | undefined;
}

/** The bindings to ring, without the device that is calling (a user calling their own extension from one phone). */
export function devicesToRing(bindings: readonly BindingRecord[], caller: TransportAddress): BindingRecord[] {
  return bindings.filter((b) => !(b.sourceAddress === caller.address && b.sourcePort === caller.port && b.sourceTransport === caller.transport));
}

/** What {@link createForks} needs to build the INVITEs towards the devices. */
export interface ForkPlan {
  readonly stack: SipStack;
  readonly logger: Logger;
  readonly caller: ExtensionCallSettings;
  readonly dialled: string;
  readonly hops: readonly ForwardHop[];
  readonly target: ExtensionCallSettings;
  readonly devices: readonly BindingRecord[];
  /** The caller's INVITE (its Max-Forwards). */
  readonly invite: SipRequest;
  /** The relay's offer for leg B. */
  readonly offer: string;
  readonly user: ForkUser;
}

/** One fork per device, not started yet; forwarded calls carry Diversion and History-Info. */
export function createForks(plan: ForkPlan): Fork[] {
  const identity = internalCallerIdentity(plan.caller);
  const domain = plan.target.sipDomain;
  const headers: [string, string][] = [];
  if (plan.hops.length > 0) {
    for (const v of diversionValues(plan.hops, domain)) headers.push(['Diversion', v]);
    for (const v of historyInfoValues(plan.dialled, plan.hops, domain)) headers.push(['History-Info', v]);
  }
  const maxForwards = Math.max(1, Math.min(70, (plan.invite.maxForwards() ?? 70) - 1));
  return plan.devices.map(
    (binding) =>
      new Fork({
        stack: plan.stack,
        logger: plan.logger,
        binding,
        target: plan.target.number,
        sipDomain: domain,
        from: internalFromValue(identity, domain),
        sdp: plan.offer,
        headers,
        maxForwards,
        user: plan.user,
      }),
  );
}

/**
 * How a ringing whose every fork failed ends: every device refused the media (488/606) → not acceptable; a device
 * refused the call, or call waiting rang a busy target → busy (SPEC 2.2); else unavailable.
 */
export function failedRingingOutcome(ringing: Ringing): 'notAcceptable' | 'busy' | 'unavailable' {
  const statuses = ringing.forks.map((f) => f.outcome ?? 408);
  if (statuses.every((s) => s === 488 || s === 606)) return 'notAcceptable';
  return statuses.some((s) => REFUSALS.has(s)) || ringing.callWaiting ? 'busy' : 'unavailable';
}

/**
 * Passes a device's SDP answer (in an 18x or the 2xx) through the relay, re-offering the caller's SDP first when
 * another answer was already taken; undefined (after `unusable`) when the relay cannot use it.
 */
export function answerThroughRelay(
  relay: MediaRelay,
  callerSdp: Uint8Array,
  sdp: Uint8Array,
  unusable: (reason: string, detail: string) => void,
): string | undefined {
  if (!relay.offerPending) {
    const reoffer = relay.offer('a', callerSdp);
    if (!reoffer.ok) return undefined;
  }
  const answer = relay.answer('b', sdp);
  if (!answer.ok) {
    unusable(answer.reason, answer.detail);
    return undefined;
  }
  return answer.sdp;
}

/**
 * The rounds of ringing of one call: the current round (its forks and no-answer timer), the "return after" timer of
 * a forward, the fork whose early media the caller hears, and every fork so far (the CDR's legs).
 */
export class Ringer {
  /** Every fork of the call, in the order they were created. */
  readonly forks: Fork[] = [];
  readonly #clock: Clock;
  #round: Ringing | undefined;
  #returnAfter: ReturnAfter | undefined;
  #earlyFork: Fork | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The current round when `fork` belongs to it, else undefined (a fork of an earlier round). */
  roundOf(fork: Fork): Ringing | undefined {
    return this.#round?.forks.includes(fork) ? this.#round : undefined;
  }

  /** Starts `round` (stopping the one before); `noAnswer` runs when it is still ringing after `ringTimeSeconds`. */
  ring(round: Omit<Ringing, 'timer'>, ringTimeSeconds: number, noAnswer: (round: Ringing) => void): void {
    this.stop();
    const ringing: Ringing = { ...round, timer: undefined };
    this.#round = ringing;
    for (const fork of ringing.forks) {
      this.forks.push(fork);
      fork.start();
    }
    ringing.timer = this.#clock.setTimeout(() => {
      if (this.#round !== ringing) return;
      this.stop();
      noAnswer(ringing);
    }, ringTimeSeconds * 1000);
  }

  /** Cancels every live fork of the current round and stops its timer. */
  stop(): void {
    const ringing = this.#round;
    if (!ringing) return;
    this.#round = undefined;
    this.#clock.clearTimeout(ringing.timer);
    for (const fork of ringing.forks) fork.cancel();
  }

  /** Whether the caller may hear `fork`'s early media (the first fork that sent some keeps it). */
  mayGiveEarlyMedia(fork: Fork): boolean {
    return !this.#earlyFork || this.#earlyFork === fork;
  }

  /** The caller now hears `fork`'s early media. */
  gaveEarlyMedia(fork: Fork): void {
    this.#earlyFork = fork;
  }

  /** `fork` of `round` answered first (§16.7 forking as a UAC): every other device is cancelled, no timer runs on. */
  answered(round: Ringing, fork: Fork): void {
    this.#round = undefined;
    this.#clock.clearTimeout(round.timer);
    for (const other of round.forks) if (other !== fork) other.cancel();
    this.clearReturnAfter();
  }

  /** `fork` failed: when no fork of its round is live any more, that round ends and is returned. */
  failed(fork: Fork): Ringing | undefined {
    const ringing = this.roundOf(fork);
    if (!ringing || ringing.forks.some((f) => f.live)) return undefined;
    this.#round = undefined;
    this.#clock.clearTimeout(ringing.timer);
    if (this.#earlyFork && ringing.forks.includes(this.#earlyFork)) this.#earlyFork = undefined;
    return ringing;
  }

  /** After `seconds` of a forward, stops its ringing and calls `back(from)` (SPEC 2.4 "return after"). */
  returnAfter(from: ExtensionCallSettings, seconds: number, back: (from: ExtensionCallSettings) => void): void {
    const returnAfter: ReturnAfter = { from, timer: undefined };
    returnAfter.timer = this.#clock.setTimeout(() => {
      if (this.#returnAfter !== returnAfter) return;
      this.#returnAfter = undefined;
      this.stop();
      back(returnAfter.from);
    }, seconds * 1000);
    this.#returnAfter = returnAfter;
  }

  /** Stops a pending "return after". */
  clearReturnAfter(): void {
    if (this.#returnAfter) this.#clock.clearTimeout(this.#returnAfter.timer);
    this.#returnAfter = undefined;
  }
}
