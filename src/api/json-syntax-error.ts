/** Where a text first breaks the JSON grammar (RFC 8259) and what stands there. */
export interface JsonSyntaxError {
  /** Offset of the offending character in UTF-16 code units (the text's length at an unexpected end). */
  readonly offset: number;
  /** 1-based line (lines end at LF). */
  readonly line: number;
  /** 1-based column within the line, in characters. */
  readonly column: number;
  /** The offending character, or undefined at an unexpected end of the text. */
  readonly found: string | undefined;
}

type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * The first JSON syntax error of `text`, or undefined when it is one valid JSON text. JSON.parse says where it
 * failed only for some errors, so the API finds the place itself to name line and column. Iterative (an explicit
 * stack, no recursion), so deep nesting cannot overflow the call stack.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const stack: Array<'{' | '['> = [];
  let expect: Expect = 'value';
  let i = 0;
  const fail = (at: number): JsonSyntaxError => position(text, at);
  const afterValue = (): Expect => (stack.length === 0 ? 'end' : 'commaOrClose');

  for (;;) {
    while (i < text.length && WHITESPACE.has(text[i] ?? '')) i++;
    if (i >= text.length) return expect === 'end' ? undefined : fail(i);
    const c = text[i] ?? '';
    switch (expect) {
      case 'end':
        return fail(i);
      case 'colon':
        if (c !== ':') return fail(i);
        i++;
        expect = 'value';
        break;
      case 'commaOrClose': {
        const open = stack[stack.length - 1];
        if (c === ',') {
          i++;
          expect = open === '{' ? 'key' : 'value';
        } else if (c === (open === '{' ? '}' : ']')) {
          i++;
          stack.pop();
          expect = afterValue();
        } else {
          return fail(i);
        }
        break;
      }
      case 'key':
      case 'keyOrClose': {
        if (expect === 'keyOrClose' && c === '}') {
          i++;
          stack.pop();
          expect = afterValue();
          break;
        }
        if (c !== '"') return fail(i);
        const end = scanString(text, i);
        if (end < 0) return fail(-end - 1);
        i = end;
        expect = 'colon';
        break;
      }
      case 'value':
      case 'valueOrClose': {
        if (expect === 'valueOrClose' && c === ']') {
          i++;
          stack.pop();
          expect = afterValue();
          break;
        }
        if (c === '{' || c === '[') {
          stack.push(c);
          i++;
          expect = c === '{' ? 'keyOrClose' : 'valueOrClose';
          break;
        }
        if (c === '"') {
          const end = scanString(text, i);
          if (end < 0) return fail(-end - 1);
          i = end;
        } else if (c === '-' || (c >= '0' && c <= '9')) {
          NUMBER.lastIndex = i;
          const match = NUMBER.exec(text);
          if (!match) return fail(c === '-' ? i + 1 : i);
          i += match[0].length;
        } else {
          const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
          if (literal === undefined) return fail(firstMismatch(text, i));
          i += literal.length;
        }
        expect = afterValue();
        break;
      }
    }
  }
}

/** Scans the string starting at the quote at `start`: the offset after its closing quote, or -(error offset + 1). */
function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === '"') return i + 1;
    if (c < ' ') return -(i + 1);
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) return -(i + 2);
      if (ESCAPES.has(next)) i += 2;
      else if (next === 'u' && HEX4.test(text.slice(i + 2, i + 6))) i += 6;
      else return -(i + 2);
    } else {
      i++;
    }
  }
  return -(text.length + 1);
}

/** Where a word that should be true, false or null first goes wrong (`tru }` → the space). */
function firstMismatch(text: string, start: number): number {
  const candidates = ['true', 'false', 'null'].filter((l) => l[0] === text[start]);
  if (candidates.length === 0) return start;
  let best = start;
  for (const literal of candidates) {
    let k = 0;
    while (k < literal.length && text[start + k] === literal[k]) k++;
    best = Math.max(best, start + k);
  }
  return best;
}

function position(text: string, offset: number): JsonSyntaxError {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return {
    offset,
    line: before.split('\n').length,
    column: [...text.slice(lineStart, offset)].length + 1,
    found: offset < text.length ? String.fromCodePoint(text.codePointAt(offset) ?? 0) : undefined,
  };
}
