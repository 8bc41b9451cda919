import type { Language } from '../../domain/index.js';
import type { CollectOptions, CollectResult, PlayItem, PlayResult, PromptId, RecordOptions, RecordResult } from '../../media/index.js';
import type { ExtensionCallSettings } from '../ports.js';

/**
 * An application: Centrala itself as the called party (echo test, speaking clock, refusal announcements, later
 * voicemail and the `*98` menu). A plain async function over {@link AppCall}, in the style of drachtio-srf's
 * middleware. When it returns, an answered call is ended with BYE and an unanswered one is refused with 480.
 * Everything it awaits resolves (reason `'closed'`) once the caller has hung up, and `call.signal` fires then.
 */
export type CallApp = (call: AppCall) => Promise<void>;

/**
 * Where {@link AppCall.transfer} hands the caller: an extension of the caller's tenant, or an outside number (refused:
 * external calls are not built yet).
 */
export type TransferTarget = { readonly kind: 'extension'; readonly number: string } | { readonly kind: 'number'; readonly number: string };

/** What an application sees of its call. */
export interface AppCall {
  /** The application's name, as the call record's `answeredBy` shows it (`app:<name>`). */
  readonly name: string;
  /** The number dialled (`*43`, or the unknown number a refusal announces). */
  readonly dialled: string;
  /** The calling extension (its tenant id and SIP domain name the tenant). */
  readonly caller: ExtensionCallSettings;
  /** The tenant's announcement language. */
  readonly language: Language;
  /** When the call arrived (ms since the epoch, on the engine's clock). */
  readonly startedAt: number;
  /** Fires when the call ends for any reason (CANCEL, BYE, an operator's hang-up, shutdown). */
  readonly signal: AbortSignal;
  /** Whether the call has ended. */
  readonly ended: boolean;
  /**
   * Sends 183 Session Progress with our SDP answer (early media: the caller hears what we play before any 200).
   * False when the caller's offer has no codec we can answer (nothing was sent) or the call has ended.
   */
  earlyMedia(): Promise<boolean>;
  /**
   * Answers with 200 OK and our SDP. False when the call has ended, or when the caller's offer has no codec we can
   * answer: then the caller was refused with 488 and the call has ended.
   */
  answer(): Promise<boolean>;
  /** Play items for prompts in the tenant's language. */
  prompts(ids: readonly PromptId[]): PlayItem[];
  /** The endpoint's operations; each needs media (earlyMedia() or answer()) and resolves 'closed' once the call ended. */
  play(items: PlayItem | readonly PlayItem[], options?: { bargeIn?: boolean }): Promise<PlayResult>;
  collect(options?: Omit<CollectOptions, 'signal'>): Promise<CollectResult>;
  record(options?: Omit<RecordOptions, 'signal'>): Promise<RecordResult>;
  echo(): Promise<{ readonly reason: 'aborted' | 'closed' }>;
  /** Refuses an unanswered call with a final status (after early media, the caller has heard why). */
  reject(status: number, reason?: string): void;
  /**
   * Hands the caller, not yet answered, to extension `target.number` of its tenant as if it had dialled it (ring time,
   * call waiting, busy, forwarding as that extension has them): the endpoint closes (early media stops), `signal`
   * fires, and the call is the call engine's from then. True once handed over; false when the tenant has no such
   * extension (the app still has the call, e.g. to say so) or the call has ended. Throws for an answered call
   * (`transfer after answer is not supported yet`) and for `kind: 'number'` (external calls are not available yet).
   */
  transfer(target: TransferTarget): Promise<boolean>;
  /** Ends the call: BYE when answered, else a final response with `status` (default 480). */
  hangUp(status?: number): Promise<void>;
}
