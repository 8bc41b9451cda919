import { domainError } from './domain-error.js';

/** A page request: `limit` 1–200 (default 50) and the `nextCursor` of the previous page. */
export interface PageRequest {
  limit?: number;
  cursor?: string;
}

/** A page of results; `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Default and maximum page sizes. */
export const PAGE_LIMITS = { default: 50, max: 200 } as const;

/** A validated page request: the limit and the decoded cursor key (undefined on the first page). */
export interface PageQuery {
  readonly limit: number;
  readonly after: readonly string[] | undefined;
}

/**
 * Validates a page request (`limit` 1–200, default 50) and decodes its cursor: base64url JSON of the sort key of
 * the last item served. Throws PAGE_LIMIT_INVALID / CURSOR_INVALID.
 */
export function resolvePageRequest(page: PageRequest | undefined, keyLength: number): PageQuery {
  const limit = page?.limit ?? PAGE_LIMITS.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMITS.max) {
    throw domainError('PAGE_LIMIT_INVALID', { field: 'limit' });
  }
  if (page?.cursor === undefined || page.cursor === '') return { limit, after: undefined };
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== keyLength || !key.every((k) => typeof k === 'string')) {
    throw domainError('CURSOR_INVALID', { field: 'cursor' });
  }
  return { limit, after: key as string[] };
}

/** The cursor of the page after the one whose last item has sort key `key`. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Builds a page from `limit + 1` fetched rows: the first `limit` items, and a cursor when there was one more.
 */
export function toPage<T>(rows: readonly T[], limit: number, key: (item: T) => readonly string[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null };
}
