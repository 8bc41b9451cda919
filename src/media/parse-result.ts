/** Outcome of parsing untrusted bytes or text: the value, or a reason naming what was wrong. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Builds a successful {@link ParseResult}. */
export function parsed<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

/** Builds a failed {@link ParseResult}. */
export function parseError<T>(error: string): ParseResult<T> {
  return { ok: false, error };
}
