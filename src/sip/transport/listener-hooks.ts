import type { Logger } from '../../lib/index.js';
import type { TransportProtocol } from './types.js';

/** What every listening socket reports to: a logger and the layer's error event. */
export interface ListenerHooks {
  readonly logger: Logger;
  /** A listening socket failed after it was bound (not a per-peer failure). */
  onError(err: Error): void;
  /**
   * Asked for each accepted stream socket, before any handshake: a function giving its slot back
   * when the socket closes, or undefined when it must be closed at once (connection limits).
   */
  admit(transport: TransportProtocol, remoteAddress: string | undefined): (() => void) | undefined;
}
