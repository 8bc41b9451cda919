import type { Logger } from '../../lib/index.js';

/** What every listening socket reports to: a logger and the layer's error event. */
export interface ListenerHooks {
  readonly logger: Logger;
  /** A listening socket failed after it was bound (not a per-peer failure). */
  onError(err: Error): void;
}
