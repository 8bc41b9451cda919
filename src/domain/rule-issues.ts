import { DomainError, type LocalizedMessage } from './domain-error.js';
import type { DomainErrorCode } from './domain-errors.js';
import {
  hasJsonType,
  jsonTypeOf,
  missingFieldMessage,
  unknownFieldMessage,
  wrongTypeMessage,
  type JsonType,
} from './field-messages.js';

/** One violated rule: the code, the dotted field and the message in both languages. */
export interface RuleIssue {
  readonly code: DomainErrorCode;
  readonly field: string;
  readonly messages: LocalizedMessage;
  readonly details?: Record<string, unknown>;
}

/**
 * Collects every violated rule of one input, then throws a single {@link DomainError} for the first one whose
 * `details.issues` lists them all (so a form can mark every wrong field at once).
 */
export class RuleIssues {
  readonly #issues: RuleIssue[] = [];

  /** Records a violation. */
  add(code: DomainErrorCode, field: string, pl: string, en: string, details?: Record<string, unknown>): void {
    this.#issues.push({ code, field, messages: { pl, en }, ...(details ? { details } : {}) });
  }

  /**
   * Records VALUE_INVALID `field: must be …, got …` unless `value` has one of the `expected` JSON types; true when
   * the type is right.
   */
  expectType(value: unknown, field: string, expected: readonly JsonType[]): boolean {
    if (hasJsonType(value, expected)) return true;
    const message = wrongTypeMessage(field, expected, value);
    this.add('VALUE_INVALID', field, message.pl, message.en, { expected, got: jsonTypeOf(value) });
    return false;
  }

  /** Records VALUE_INVALID `field: unknown field`. */
  unknownField(field: string): void {
    const message = unknownFieldMessage(field);
    this.add('VALUE_INVALID', field, message.pl, message.en);
  }

  /** Records VALUE_INVALID `field: is required`. */
  missingField(field: string): void {
    const message = missingFieldMessage(field);
    this.add('VALUE_INVALID', field, message.pl, message.en);
  }

  /**
   * Checks the members of an object against `shape` (member → JSON types): unknown members, missing ones and
   * wrong types are recorded under `field.member`; true when all is well.
   */
  expectShape(value: Record<string, unknown>, field: string, shape: Readonly<Record<string, readonly JsonType[]>>): boolean {
    let ok = true;
    for (const key of Object.keys(value)) {
      if (!(key in shape)) {
        this.unknownField(`${field}.${key}`);
        ok = false;
      }
    }
    for (const [key, types] of Object.entries(shape)) {
      if (value[key] === undefined) {
        this.missingField(`${field}.${key}`);
        ok = false;
      } else if (!this.expectType(value[key], `${field}.${key}`, types)) {
        ok = false;
      }
    }
    return ok;
  }

  /** Records violations found elsewhere, after those already recorded. */
  addAll(list: readonly RuleIssue[]): void {
    this.#issues.push(...list);
  }

  /** True when nothing was recorded. */
  get empty(): boolean {
    return this.#issues.length === 0;
  }

  /** Every recorded violation. */
  get list(): readonly RuleIssue[] {
    return this.#issues;
  }

  /** Throws the {@link DomainError} of the first violation, if any. */
  throwIfAny(): void {
    const first = this.#issues[0];
    if (!first) return;
    throw new DomainError(first.code, first.messages, {
      field: first.field,
      details: {
        ...first.details,
        issues: this.#issues.map((i) => ({ code: i.code, field: i.field, messages: i.messages, ...(i.details ? { details: i.details } : {}) })),
      },
    });
  }
}

/** True for a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `base` overlaid with the entries of `patch` whose value is not undefined. */
export function overlay(base: object, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) out[key] = value;
  return out;
}
