export { ConfigError } from './config-error.js';
export { loadConfig, CONFIG_CHECKS, type ConfigSources, type ConfigCheck } from './load-config.js';
export {
  SETTINGS,
  LOG_LEVELS,
  LOG_FORMATS,
  defineSetting,
  type Config,
  type SettingName,
  type SettingSpec,
  type LogLevel,
  type LogFormat,
} from './settings.js';
export {
  integerIn,
  port,
  portOrZero,
  portRange,
  nonEmpty,
  host,
  oneOf,
  boolean,
  postgresUrl,
  type Parser,
  type ParseResult,
} from './parsers.js';
