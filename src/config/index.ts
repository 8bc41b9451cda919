export { ConfigError } from './config-error.js';
export { loadConfig, describeSetting, CONFIG_CHECKS, type ConfigSources, type ConfigCheck, type SettingSource } from './load-config.js';
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
export { defaultText, settingText } from './setting-text.js';
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
export { centralaVersion } from './version.js';
