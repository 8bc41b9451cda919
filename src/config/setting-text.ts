import type { SettingSpec } from './settings.js';

/**
 * A setting's default as a user would type it (`20000-29999`, `0.0.0.0`, `8080`), for `--help` and the docs;
 * undefined when the setting has no default. A non-scalar value needs the spec's `format`: without one this throws,
 * so a new setting cannot print `[object Object]` (a test runs it over every setting).
 */
export function defaultText<T>(spec: SettingSpec<T>): string | undefined {
  const value = spec.default;
  if (value === undefined) return undefined;
  if (spec.format) return spec.format(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`setting --${spec.flag}: its default is not a string, number or boolean, so it needs format()`);
}
