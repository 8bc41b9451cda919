import { Option, type Command } from 'commander';
import { SETTINGS, defaultText, loadConfig, type Config, type SettingName } from '../config/index.js';
import type { CliIo } from './cli-io.js';

const NAMES = Object.keys(SETTINGS) as SettingName[];

/**
 * Adds the flags of every setting of `scope` to a command (`common`: where the data lives, on every command;
 * `server`: also the listening settings, on `start`). Flags come straight from the settings table, so a new
 * setting appears here without touching the CLI. `also` adds server settings to a `common` command (a command that
 * talks to the running server needs its --http-port).
 */
export function addSettingOptions(command: Command, scope: 'common' | 'server', also: readonly SettingName[] = []): Command {
  for (const name of NAMES) {
    const spec = SETTINGS[name];
    if (scope === 'common' && spec.scope !== 'common' && !also.includes(name)) continue;
    const env = spec.env ? `; env ${spec.env}` : '';
    const shown = defaultText<unknown>(spec);
    const fallback = shown === undefined ? '' : `; default ${shown}`;
    const flags = spec.valueName ? `--${spec.flag} ${spec.valueName}` : `--${spec.flag}`;
    command.addOption(new Option(flags, `${spec.description}${env}${fallback}`));
  }
  return command;
}

/** Builds the configuration from a command's setting flags plus the environment (throws ConfigError). */
export function configFromOptions(command: Command, io: CliIo): Config {
  const options = command.opts<Record<string, string | boolean | undefined>>();
  const flags: Partial<Record<SettingName, string | boolean | undefined>> = {};
  for (const name of NAMES) {
    const value = options[camelCase(SETTINGS[name].flag)];
    if (value !== undefined) flags[name] = value;
  }
  return loadConfig({ flags, env: io.env, cwd: io.cwd });
}

/** `http-port` → `httpPort` (commander's attribute name of `--http-port`). */
function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
