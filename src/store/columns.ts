import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** What repositories run on: the database or a transaction of it (a Transaction is a Kysely). */
export type Executor = Kysely<Database>;

/** A time as stored: ISO-8601 UTC with milliseconds, so text order is time order on both dialects. */
export function toDbTime(date: Date): string {
  return date.toISOString();
}

/** A stored time back to a Date. */
export function fromDbTime(text: string): Date {
  return new Date(text);
}

/** A stored time back to a Date, keeping null. */
export function fromDbTimeOrNull(text: string | null): Date | null {
  return text === null ? null : new Date(text);
}

/** A boolean as stored: 1 or 0 (SQLite has no boolean; PostgreSQL uses the same integer column). */
export function toDbBool(value: boolean): number {
  return value ? 1 : 0;
}

/** A stored 0/1 back to a boolean. */
export function fromDbBool(value: number | boolean): boolean {
  return value === true || value === 1;
}

/** Parses a JSON text column written by a mapper of this store. */
export function fromDbJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** True when `err` is a unique-constraint violation on either dialect (SQLite or PostgreSQL 23505). */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
