import type { TSchema } from '@sinclair/typebox';
import type { Config } from '../config/index.js';

/**
 * What the CLI gets from the composition root (`src/main.ts`), so that it imports neither the server nor the API:
 * the build's version, the server itself for `centrala start`, and the API's schemas of extension settings.
 */
export interface CliHost {
  readonly version: string;
  /** Runs the server until SIGTERM or SIGINT; `print` shows the one-time operator token line. */
  serve(config: Config, print: (line: string) => void): Promise<void>;
  /** The API's input schemas of extension settings (`--set path=value` is typed by them, as the API checks them). */
  readonly extensionInput: { readonly create: TSchema; readonly patch: TSchema };
}
