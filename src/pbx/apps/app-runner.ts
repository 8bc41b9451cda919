import type { Clock, Logger } from '../../lib/index.js';
import { PromptCatalogue, type LegInterface, type MediaEngine } from '../../media/index.js';
import type { IncomingRequest, SipStack } from '../../sip/index.js';
import type { ActiveCall } from '../calls/index.js';
import { callEndedFields } from '../calls/call-record.js';
import type { CallDetailRecord, CallEndedBy, ExtensionCallSettings } from '../ports.js';
import { AppSession, type AppHandover } from './app-session.js';
import type { CallApp } from './call-app.js';

/** Dependencies of the {@link AppRunner}. */
export interface AppRunnerOptions {
  readonly stack: SipStack;
  readonly media: MediaEngine;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The prompt files (default: the ones shipped under prompts/). */
  readonly prompts?: PromptCatalogue;
  /** The media interface for callers of an address family, when not the media engine's default. */
  readonly mediaInterface?: (family: 4 | 6) => LegInterface | undefined;
  /** Writes the call record of an application call. */
  writeCdr(record: CallDetailRecord): void;
  /** Call settings of extension `number` of a tenant (where AppCall.transfer may hand a caller), or undefined. */
  findExtension(tenantId: string, number: string): Promise<ExtensionCallSettings | undefined>;
  /** Rings the extension an app handed its unanswered caller to, as if dialled (the call engine's call from then). */
  ringExtension(handover: AppHandover): Promise<void>;
}

/**
 * Runs applications as the called party of INVITEs the call engine hands over: one {@link AppSession} per call,
 * the dialog's in-dialog requests, the live-calls view, hang-ups from outside. When an app returns, its call is
 * ended (BYE, or 480 when never answered); when it throws, the call ends with 500.
 */
export class AppRunner {
  readonly #o: AppRunnerOptions;
  readonly #prompts: PromptCatalogue;
  readonly #sessions = new Set<AppSession>();
  /** `Call-ID;local tag` → the session. */
  readonly #dialogs = new Map<string, AppSession>();
  readonly #running = new Set<Promise<void>>();

  constructor(options: AppRunnerOptions) {
    this.#o = options;
    this.#prompts = options.prompts ?? new PromptCatalogue();
  }

  /** Application calls in progress. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Starts `app` (named `name`) as the callee of the caller's INVITE and returns its session at once. */
  run(ctx: IncomingRequest, caller: ExtensionCallSettings, dialled: string, name: string, app: CallApp): AppSession {
    const logger = this.#o.logger;
    const session = new AppSession(
      {
        stack: this.#o.stack,
        media: this.#o.media,
        prompts: this.#prompts,
        clock: this.#o.clock,
        logger,
        mediaInterface: this.#o.mediaInterface?.(ctx.source.family),
        registerDialog: (s, key) => this.#dialogs.set(key, s),
        ended: (s, record) => this.#ended(s, record),
        findExtension: (tenantId, number) => this.#o.findExtension(tenantId, number),
        handedOver: (s, handover) => {
          this.#forget(s);
          return this.#o.ringExtension(handover);
        },
      },
      { ctx, caller, dialled, name },
    );
    this.#sessions.add(session);
    logger.info({ call: session.id, callId: session.callId, tenant: caller.sipDomain, caller: caller.number, callee: dialled, app: name }, 'application call started');
    const running = (async () => {
      try {
        await app(session);
        await session.end('callee', 'application ended');
      } catch (err) {
        if (session.ended) logger.debug({ err, call: session.id, app: name }, 'application stopped after the call ended');
        else logger.error({ err, call: session.id, app: name }, 'application failed');
        await session.end('system', 'application failed', 500);
      }
    })();
    this.#running.add(running);
    void running.finally(() => this.#running.delete(running));
    return session;
  }

  /** Takes a request of an application's dialog; false when the dialog is not one of ours. */
  async inDialog(ctx: IncomingRequest): Promise<boolean> {
    const request = ctx.request;
    const session = this.#dialogs.get(`${request.callId() ?? ''};${request.to()?.tag ?? ''}`);
    if (!session) return false;
    await session.inDialog(ctx);
    return true;
  }

  /** Snapshots of the application calls in progress, of one tenant or of all. */
  active(tenantId?: string): ActiveCall[] {
    const out: ActiveCall[] = [];
    for (const s of this.#sessions) if (!s.ended && (tenantId === undefined || s.tenantId === tenantId)) out.push(s.snapshot());
    return out;
  }

  /** Ends application call `id` of `tenantId`; undefined when there is none, else the BYE's end. */
  hangUp(tenantId: string, id: string, endedBy: CallEndedBy, reason: string): Promise<void> | undefined {
    const session = [...this.#sessions].find((s) => s.id === id && s.tenantId === tenantId && !s.ended);
    return session?.end(endedBy, reason);
  }

  /** Ends every application call (shutdown: BYE, or `status` to callers not yet answered) and waits for the apps. */
  async close(status: number, headers: [string, string][]): Promise<void> {
    await Promise.all([...this.#sessions].map((s) => s.end('system', 'server shutting down', status, headers)));
    await Promise.all([...this.#running]);
  }

  #forget(session: AppSession): void {
    this.#sessions.delete(session);
    for (const [key, s] of this.#dialogs) if (s === session) this.#dialogs.delete(key);
  }

  #ended(session: AppSession, record: CallDetailRecord): void {
    this.#forget(session);
    this.#o.logger.info(callEndedFields(session.id, session.caller.sipDomain, record), 'call ended');
    this.#o.writeCdr(record);
  }
}
