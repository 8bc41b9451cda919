import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { SETTINGS, type Config, type SettingName, type SettingSpec } from './settings.js';
import { settingText } from './setting-text.js';

/** Raw inputs of {@link loadConfig}. */
export interface ConfigSources {
  /** Values of command-line flags by setting name (`true` for a switch given without a value). */
  readonly flags?: Partial<Record<SettingName, string | boolean | undefined>>;
  /** Environment (defaults to none: pass `process.env` explicitly at the edge). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against (defaults to `process.cwd()`). */
  readonly cwd?: string;
}

/** A rule across several settings; returns a ConfigError when the combination is invalid. */
export type ConfigCheck = (config: Config) => ConfigError | undefined;

/**
 * Rules that involve more than one setting (e.g. a TLS certificate needs its key). Single-setting
 * rules belong in the setting's parser.
 */
export const CONFIG_CHECKS: ConfigCheck[] = [];

/** Where a setting's value came from. */
export type SettingSource = 'flag' | 'env' | 'default';

/** The source of every setting of each configuration {@link loadConfig} built. */
const SOURCES = new WeakMap<Config, Readonly<Partial<Record<SettingName, SettingSource>>>>();

/**
 * A setting the way the user gave it, for messages about its value: `--http-port 9090` (a flag),
 * `CENTRALA_HTTP_PORT=9090` (the environment) or `8080 is the default of --http-port / CENTRALA_HTTP_PORT`.
 * A configuration not built by {@link loadConfig} is described by its flags.
 */
export function describeSetting(config: Config, name: SettingName): string {
  const spec: SettingSpec<unknown> = SETTINGS[name];
  const value = settingText(spec, config[name]);
  switch (SOURCES.get(config)?.[name] ?? 'flag') {
    case 'env':
      return `${spec.env ?? ''}=${value}`;
    case 'default':
      return `${value} is the default of --${spec.flag}${spec.env ? ` / ${spec.env}` : ''}`;
    case 'flag':
      return `--${spec.flag} ${value}`;
  }
}

/**
 * Builds the configuration from defaults, then the environment, then flags (later wins), validates
 * every setting once and returns a frozen object. Throws {@link ConfigError} naming the first bad setting.
 */
export function loadConfig(sources: ConfigSources = {}): Config {
  const cwd = sources.cwd ?? process.cwd();
  const values: Record<string, unknown> = {};
  const from: Partial<Record<SettingName, SettingSource>> = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const spec: SettingSpec<unknown> = SETTINGS[name];
    [values[name], from[name]] = readSetting(name, spec, sources);
  }
  values.dataDir = resolve(cwd, String(values.dataDir));
  const config = Object.freeze(values) as Config;
  SOURCES.set(config, from);
  for (const check of CONFIG_CHECKS) {
    const error = check(config);
    if (error) throw error;
  }
  return config;
}

function readSetting(name: SettingName, spec: SettingSpec<unknown>, sources: ConfigSources): [unknown, SettingSource] {
  const flag = sources.flags?.[name];
  if (flag !== undefined) {
    const raw = flag === true ? 'true' : flag === false ? 'false' : flag;
    return [parseOrThrow(name, spec, raw, `--${spec.flag}`), 'flag'];
  }
  const fromEnv = spec.env === undefined ? undefined : sources.env?.[spec.env];
  // An empty environment variable counts as unset (`DATABASE_URL=` in a unit file means "none").
  if (spec.env !== undefined && fromEnv !== undefined && fromEnv !== '') {
    return [parseOrThrow(name, spec, fromEnv, spec.env), 'env'];
  }
  return [spec.default, 'default'];
}

function parseOrThrow(name: SettingName, spec: SettingSpec<unknown>, raw: string, source: string): unknown {
  const result = spec.parse(raw);
  if (result.ok) return result.value;
  throw new ConfigError(name, `invalid ${source} ${JSON.stringify(raw)}: ${result.reason}`);
}
