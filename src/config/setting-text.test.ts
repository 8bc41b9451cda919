import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SETTINGS, defaultText, defineSetting, nonEmpty } from './index.js';

describe('defaultText', () => {
  for (const [name, spec] of Object.entries(SETTINGS)) {
    it(`prints the default of ${name} as text a user could type back`, () => {
      const text = defaultText<unknown>(spec);
      if (spec.default === undefined) {
        assert.equal(text, undefined);
        return;
      }
      assert.equal(typeof text, 'string');
      assert.doesNotMatch(text ?? '', /\[object|undefined|^$/);
      const parsed = spec.parse(text ?? '');
      assert.ok(parsed.ok, `${name}: --${spec.flag} ${text ?? ''} does not parse: ${parsed.ok ? '' : parsed.reason}`);
      assert.deepEqual(parsed.value, spec.default, `${name}: ${text ?? ''} reads back as another value`);
    });
  }

  it('refuses to print an object default that has no format()', () => {
    const spec = defineSetting<readonly string[]>({
      flag: 'colours',
      default: ['red'],
      parse: (raw) => nonEmpty(raw) as never,
      description: 'x',
      scope: 'server',
    });
    assert.throws(() => defaultText(spec), /--colours: its value is not a string, number or boolean, so it needs format\(\)/);
  });
});
