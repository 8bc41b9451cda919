import type { TSchema } from '@sinclair/typebox';
import { CliError } from './cli-error.js';

type Json = string | number | boolean | null | { [key: string]: Json } | Json[];

/**
 * Turns repeated `--set path=value` flags into a nested object (`voicemail.pin=1234` → `{ voicemail: { pin:
 * "1234" } }`). Each value is typed by the field's schema, so `1234` stays text for a PIN and becomes a number
 * for `general.ringTimeSeconds`; `true`/`false`/`null` where the field allows them; `{…}`/`[…]` is JSON.
 * Unknown paths are a usage error.
 */
export function parseAssignments(assignments: readonly string[], schema: TSchema): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid --set "${assignment}": expected path=value, e.g. general.ringTimeSeconds=20`, 2);
    const path = assignment.slice(0, eq).split('.');
    const raw = assignment.slice(eq + 1);
    const leaf = schemaAt(schema, path);
    if (leaf.length === 0) throw new CliError(`invalid --set "${assignment}": no setting ${path.join('.')}`, 2);
    setPath(out, path, coerce(raw, leaf, assignment));
  }
  return out;
}

/** The schemas a path may land on (several below a union). */
function schemaAt(schema: TSchema, path: readonly string[]): TSchema[] {
  let current: TSchema[] = [schema];
  for (const segment of path) {
    current = current.flatMap(members).flatMap((s) => {
      const properties = s.properties as Record<string, TSchema> | undefined;
      const next = properties?.[segment];
      return next ? [next] : [];
    });
  }
  return current;
}

function members(schema: TSchema): TSchema[] {
  const anyOf = schema.anyOf as TSchema[] | undefined;
  return anyOf ? anyOf.flatMap(members) : [schema];
}

function typesOf(schemas: readonly TSchema[]): Set<string> {
  const types = new Set<string>();
  for (const s of schemas.flatMap(members)) {
    if (typeof s.type === 'string') types.add(s.type);
    if (s.const !== undefined) types.add(typeof s.const);
  }
  return types;
}

function coerce(raw: string, leaf: readonly TSchema[], assignment: string): Json {
  const types = typesOf(leaf);
  if (/^\s*[[{]/.test(raw) && (types.has('object') || types.has('array'))) {
    try {
      return JSON.parse(raw) as Json;
    } catch {
      throw new CliError(`invalid --set "${assignment}": the value is not valid JSON`, 2);
    }
  }
  if (raw === 'null' && types.has('null')) return null;
  if ((raw === 'true' || raw === 'false') && types.has('boolean')) return raw === 'true';
  if (/^-?\d+$/.test(raw) && (types.has('integer') || types.has('number'))) return Number(raw);
  // Anything else goes through as text; the domain rules say what is wrong with it (and name the field).
  return raw;
}

function setPath(target: Record<string, Json>, path: readonly string[], value: Json): void {
  let node = target;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) node = next;
    else {
      const fresh: Record<string, Json> = {};
      node[key] = fresh;
      node = fresh;
    }
  }
}
