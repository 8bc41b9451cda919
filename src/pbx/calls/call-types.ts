import type { Clock, Logger } from '../../lib/index.js';
import type { MediaRelay } from '../../media/index.js';
import type { IncomingRequest, SipStack } from '../../sip/index.js';
import type { CallFeature, ForwardDestination } from '../features/index.js';
import type { BindingRecord, CallDetailRecord, ExtensionCallSettings } from '../ports.js';

export type { ActiveCall, ActiveCallMedia } from '../../domain/index.js';
import type { Call } from './call.js';

/**
 * A destination the engine cannot ring itself (a mailbox, an external number): the following issues
 * plug voicemail and trunks in here. `take` answers or rejects the caller on the call's A side.
 */
export interface DestinationHandler {
  take(call: Call, destination: ForwardDestination): Promise<void>;
}

/** What a call needs from the engine that owns it. */
export interface CallEnvironment {
  readonly stack: SipStack;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly features: readonly CallFeature[];
  /** Call settings of an extension of the tenant, or undefined. */
  findSettings(tenantId: string, number: string): Promise<ExtensionCallSettings | undefined>;
  /** Live registrations of an extension. */
  bindings(tenantId: string, extensionId: string): BindingRecord[];
  /** Whether the extension has an answered call now (SPEC 2.2 busy). */
  onAnsweredCall(extensionId: string): boolean;
  /** Voicemail / external destinations (absent until the issues that build them). */
  destinations: Partial<Record<ForwardDestination['kind'], DestinationHandler>>;
  /** Bookkeeping hooks of the engine. */
  registerDialog(call: Call, side: 'a' | 'b', dialogKey: string): void;
  answeredBy(call: Call, extensionIds: readonly string[]): void;
  ended(call: Call, record: CallDetailRecord, media: MediaSummary): void;
}

/** RTP packets through the relay in one call (for logs and the call-load benchmark). */
export interface MediaSummary {
  /** From the caller into relay leg A, and from leg A out to the caller. */
  readonly aIn: number;
  readonly aOut: number;
  /** From the callee into relay leg B, and from leg B out to the callee. */
  readonly bIn: number;
  readonly bOut: number;
  /** Received but not relayed (foreign source, no destination yet). */
  readonly dropped: number;
}

/** How a new call starts: the authenticated INVITE and what routing found. */
export interface CallStart {
  readonly ctx: IncomingRequest;
  readonly relay: MediaRelay;
  /** The relay's offer for leg B (from the caller's SDP). */
  readonly offerForB: string;
  readonly caller: ExtensionCallSettings;
  readonly dialled: string;
  /** When the call began, when earlier than now (an application's caller handed to an extension). */
  readonly startedAt?: number;
}
