/** A method was called on an object in a state that does not allow it (e.g. after close). Catchable. */
export class InvalidStateError extends Error {
  override readonly name = 'InvalidStateError';
}

/** Throws a plain Error (a bug, not a catchable condition) when `cond` is false. */
export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

/**
 * The store cannot serve the request now (connection lost, server restarting or unreachable, statement timeout,
 * SQLite busy or disk full). Catchable: a request that needs the store is answered with a temporary failure that
 * says when to retry (SIP 503 and HTTP 503 with Retry-After); nothing was written.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  /** Seconds after which a retry makes sense (the Retry-After of the answer). */
  readonly retryAfterSeconds: number;

  constructor(message: string, options: { cause?: unknown; retryAfterSeconds: number }) {
    super(message, { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
