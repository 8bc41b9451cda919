/**
 * A setting is missing or invalid. The message is always one line that names the setting the way the
 * user gave it (`--http-port`, `CENTRALA_HTTP_PORT`) and says what is wrong, so `centrala start` can
 * print it as-is and exit 1.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Key of the setting in {@link Config} (e.g. `httpPort`). */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(message);
    this.setting = setting;
  }
}
