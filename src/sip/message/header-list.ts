/**
 * The ordered, immutable header section of a SIP message (RFC 3261 §7.3). Lookups are
 * case-insensitive and understand compact forms; list headers split at top-level commas.
 */
import type { HeaderField } from './types.js';
import { headerKey, isListHeader, splitHeaderList } from './compact-forms.js';
import { isToken } from './tokenizer.js';

/** Header lines given as `[name, value]` pairs or as {@link HeaderField}s. */
export type HeaderInput = Iterable<readonly [string, string] | HeaderField>;

function toField(entry: readonly [string, string] | HeaderField): HeaderField {
  const field = Array.isArray(entry) ? { name: entry[0], value: entry[1] } : (entry as HeaderField);
  if (!isToken(field.name)) throw new TypeError(`invalid header name: ${JSON.stringify(field.name)}`);
  const value = String(field.value);
  // A header value never contains CR or LF: folding is undone on input and never produced.
  if (value.includes('\r') || value.includes('\n')) {
    throw new TypeError(`header ${field.name} value contains CR or LF`);
  }
  return Object.freeze({ name: field.name, value });
}

/** An ordered, immutable list of header lines with case-insensitive, compact-form-aware lookup. */
export class HeaderList {
  static #trusted: { fields: readonly HeaderField[]; keys: readonly string[] } | undefined;
  readonly #fields: readonly HeaderField[];
  readonly #keys: readonly string[];

  /** Builds a list, validating names (tokens) and values (no CR/LF); throws TypeError otherwise. */
  constructor(fields: HeaderInput = []) {
    const trusted = HeaderList.#trusted;
    if (trusted !== undefined) {
      HeaderList.#trusted = undefined;
      this.#fields = trusted.fields;
      this.#keys = trusted.keys;
      return;
    }
    const list: HeaderField[] = [];
    for (const entry of fields) list.push(toField(entry));
    this.#fields = list;
    this.#keys = list.map((f) => headerKey(f.name));
  }

  /**
   * Builds a list from lines already checked (by the parser or by this class), with their keys
   * (see headerKey). Internal to the message module, not exported by its index: skips validation.
   */
  static fromParsed(fields: readonly HeaderField[], keys: readonly string[]): HeaderList {
    HeaderList.#trusted = { fields, keys };
    return new HeaderList();
  }

  /** Number of header lines. */
  get size(): number {
    return this.#fields.length;
  }

  /** Every line in order, names as written. */
  fields(): readonly HeaderField[] {
    return this.#fields;
  }

  /** True when at least one line has this name (or its compact form). */
  has(name: string): boolean {
    return this.#keys.includes(headerKey(name));
  }

  /**
   * The first value: for list headers the first comma-separated element of the first line
   * (the top Via, the first Contact), otherwise the whole value of the first line.
   */
  get(name: string): string | undefined {
    const key = headerKey(name);
    const index = this.#keys.indexOf(key);
    if (index < 0) return undefined;
    const value = this.#fields[index]?.value;
    if (value === undefined || !isListHeader(key) || !value.includes(',')) return value;
    return this.getAll(name)[0];
  }

  /**
   * Every value of every line with this name, in order. List headers (Via, Contact, Route,
   * Record-Route, Allow, Supported, Require, …) are split at top-level commas and empty elements
   * dropped; other headers (WWW-Authenticate, Authorization, Date, …) give one value per line.
   */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const list = isListHeader(key);
    const out: string[] = [];
    for (let i = 0; i < this.#keys.length; i++) {
      if (this.#keys[i] !== key) continue;
      const value = this.#fields[i]?.value ?? '';
      if (!list) {
        out.push(value);
        continue;
      }
      for (const element of splitHeaderList(value)) if (element !== '') out.push(element);
    }
    return out;
  }

  /** The lines with this name, unsplit (as received). */
  lines(name: string): HeaderField[] {
    const key = headerKey(name);
    return this.#fields.filter((_, i) => this.#keys[i] === key);
  }

  /** A copy where every line of `name` is replaced by one `name: value` line at the first one's place (or at the end). */
  with(name: string, value: string): HeaderList {
    const key = headerKey(name);
    const field = toField([name, value]);
    const fields: HeaderField[] = [];
    const keys: string[] = [];
    let placed = false;
    for (let i = 0; i < this.#fields.length; i++) {
      if (this.#keys[i] === key) {
        if (placed) continue;
        placed = true;
        fields.push(field);
      } else {
        fields.push(this.#fields[i] as HeaderField);
      }
      keys.push(this.#keys[i] as string);
    }
    if (!placed) {
      fields.push(field);
      keys.push(key);
    }
    return HeaderList.fromParsed(fields, keys);
  }

  /** A copy with `name: value` added after the last line. */
  append(name: string, value: string): HeaderList {
    return HeaderList.fromParsed([...this.#fields, toField([name, value])], [...this.#keys, headerKey(name)]);
  }

  /** A copy with `name: value` added before the first line (e.g. a new top Via or Record-Route). */
  prepend(name: string, value: string): HeaderList {
    return HeaderList.fromParsed([toField([name, value]), ...this.#fields], [headerKey(name), ...this.#keys]);
  }

  /** A copy without any line of this name. */
  without(name: string): HeaderList {
    const key = headerKey(name);
    if (!this.#keys.includes(key)) return this;
    const fields: HeaderField[] = [];
    const keys: string[] = [];
    for (let i = 0; i < this.#fields.length; i++) {
      if (this.#keys[i] === key) continue;
      fields.push(this.#fields[i] as HeaderField);
      keys.push(this.#keys[i] as string);
    }
    return HeaderList.fromParsed(fields, keys);
  }

  /** Iterates over the lines in order. */
  [Symbol.iterator](): Iterator<HeaderField> {
    return this.#fields[Symbol.iterator]();
  }
}
