import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-registrations.js';
import * as m0003 from './0003-calls.js';
import * as m0004 from './0004-idempotency-keys.js';
import * as m0005 from './0005-security-blocks.js';

/**
 * Every migration in order. Names sort in the order they must run (Kysely's Migrator checks that); append new
 * ones at the end as `NNNN-name`.
 */
export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['0001-initial', m0001],
  ['0002-registrations', m0002],
  ['0003-calls', m0003],
  ['0004-idempotency-keys', m0004],
  ['0005-security-blocks', m0005],
];
