import type { SettingSpec } from './settings.js';

/**
 * A setting's value as a user types it (`20000-29999`, `0.0.0.0,::`, `8080`). A non-scalar value needs the spec's
 * `format`: without one this throws, so a new setting cannot print `[object Object]` (a test runs every default
 * through it).
 */
export function settingText<T>(spec: SettingSpec<T>, value: T): string {
  if (spec.format) return spec.format(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`setting --${spec.flag}: its value is not a string, number or boolean, so it needs format()`);
}

/** A setting's default as a user would type it, for `--help` and the docs; undefined when it has none. */
export function defaultText<T>(spec: SettingSpec<T>): string | undefined {
  return spec.default === undefined ? undefined : settingText(spec, spec.default);
}
