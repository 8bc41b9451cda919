import { DomainError, type LocalizedMessage } from './domain-error.js';
import type { DomainErrorCode } from './domain-errors.js';

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
