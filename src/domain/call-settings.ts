import type { ForwardTarget, InternalCallerId } from './extension.js';
import type { Language } from './tenant.js';

/**
 * The call settings of one extension, as the call features need them (SPEC 2.2–2.4). Plain data
 * built from the extension's settings by services, read by the PBX's call features.
 */
export interface ExtensionCallSettings {
  readonly tenantId: string;
  /** Extension id (stable, not the number). */
  readonly extensionId: string;
  /** Extension number (2–6 digits). */
  readonly number: string;
  /** Account name: the display name colleagues see on internal calls. */
  readonly name: string;
  /** The tenant's SIP domain (lower case), for URIs in Diversion / History-Info. */
  readonly sipDomain: string;
  /** The tenant's language: the announcements the extension hears. */
  readonly language: Language;
  /** What colleagues see as the caller's number on internal calls. */
  readonly internalCallerId: InternalCallerId;
  /** Seconds to ring before the call counts as "no answer" (5–300). */
  readonly ringTimeSeconds: number;
  /** Call waiting on: a second call to a busy extension rings it. */
  readonly callWaiting: boolean;
  /** Fax extension: call waiting is suppressed while it is on a call (SPEC 2.5). */
  readonly fax: boolean;
  /** Voicemail box enabled (SPEC 2.3). */
  readonly voicemailEnabled: boolean;
  /** Forwarding conditions (SPEC 2.4). */
  readonly forwarding: {
    readonly noAnswer: ForwardTarget;
    readonly busy: ForwardTarget;
    readonly unavailable: ForwardTarget;
    /** Seconds the forward target may ring before the call returns; null = no limit. */
    readonly returnAfterSeconds: number | null;
    /** An external forward target must press 1 to accept. */
    readonly confirmExternal: boolean;
  };
}
