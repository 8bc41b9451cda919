import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findJsonSyntaxError } from './json-syntax-error.js';

describe('findJsonSyntaxError', () => {
  const cases: Array<[string, string, { line: number; column: number; found: string | undefined }]> = [
    ['a value missing after a colon', '{"a":}', { line: 1, column: 6, found: '}' }],
    ['an unclosed object', '{"a":1', { line: 1, column: 7, found: undefined }],
    ['a misspelt literal on the second line', '{\n "a": tru }', { line: 2, column: 10, found: ' ' }],
    ['a trailing comma', '{"a": 1,\n}', { line: 2, column: 1, found: '}' }],
    ['text after the document', '{"a":1}x', { line: 1, column: 8, found: 'x' }],
    ['a single-quoted string', "{'a': 1}", { line: 1, column: 2, found: "'" }],
    ['an unquoted key', '{\r\n  name: "x"}', { line: 2, column: 3, found: 'n' }],
    ['a raw newline inside a string', '{"a": "x\ny"}', { line: 1, column: 9, found: '\n' }],
    ['a bad escape', '["\\x"]', { line: 1, column: 4, found: 'x' }],
    ['a lone minus', '[-]', { line: 1, column: 3, found: ']' }],
    ['a leading zero', '[01]', { line: 1, column: 3, found: '1' }],
    ['a missing colon', '{"a" 1}', { line: 1, column: 6, found: '1' }],
    ['an empty text', '', { line: 1, column: 1, found: undefined }],
    ['a column counted in characters after non-ASCII', '{"ż": ł}', { line: 1, column: 7, found: 'ł' }],
  ];
  for (const [what, text, expected] of cases) {
    test(`finds ${what} at line ${expected.line}, column ${expected.column}`, () => {
      const error = findJsonSyntaxError(text);
      assert.ok(error, 'an error is found');
      assert.deepEqual({ line: error.line, column: error.column, found: error.found }, expected);
      assert.throws(() => JSON.parse(text), SyntaxError);
    });
  }

  test('finds nothing in valid JSON, as JSON.parse accepts it', () => {
    for (const text of ['{}', '[]', ' 1 ', '"x"', 'null', '{"a":[1,2.5e-3,-0,true,false,null,{"b":"\\u00e9\\n"}]}', '\n[\n]\n', '"ż"']) {
      JSON.parse(text);
      assert.equal(findJsonSyntaxError(text), undefined, text);
    }
  });

  test('names the offset JSON.parse names whenever its message has one', () => {
    for (const text of ['{"a":1', '{"a":1}x', '{"a" 1}', '[1,]', '{"a":1,}', '[1 2]', '{"a":"b"', '["\\x"]']) {
      let message = '';
      try {
        JSON.parse(text);
      } catch (err) {
        message = (err as Error).message;
      }
      const named = /at position (\d+)/.exec(message);
      if (!named) continue;
      assert.equal(findJsonSyntaxError(text)?.offset, Number(named[1]), `${text}: ${message}`);
    }
  });

  test('walks very deep nesting without overflowing the stack', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(199_999);
    assert.equal(findJsonSyntaxError(deep)?.found, undefined);
    assert.equal(findJsonSyntaxError(deep + ']'), undefined);
  });
});
