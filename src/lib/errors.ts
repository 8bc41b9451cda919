/** A method was called on an object in a state that does not allow it (e.g. after close). Catchable. */
export class InvalidStateError extends Error {
  override readonly name = 'InvalidStateError';
}

/** Throws a plain Error (a bug, not a catchable condition) when `cond` is false. */
export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}
