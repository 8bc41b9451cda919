import type { Config } from '../config/index.js';
import type { Services } from '../services/index.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/** How long the CLI waits for the running server to answer one request (a hang-up waits for the phones' BYE answers). */
const REQUEST_TIMEOUT_MS = 40_000;

/** Label of the operator token the CLI mints for one command and revokes afterwards. */
export const CLI_TOKEN_LABEL = 'centrala CLI (temporary)';

/** One request to the running server's API: status and parsed JSON body (undefined when empty). */
export type ServerRequest = (method: 'GET' | 'DELETE', path: string) => Promise<{ status: number; body: unknown }>;

/** The base URL of the API of a server started with this configuration, as seen from this machine. */
export function localApiUrl(config: Pick<Config, 'httpHost' | 'httpPort'>): string {
  const host = config.httpHost === '0.0.0.0' ? '127.0.0.1' : config.httpHost === '::' ? '::1' : config.httpHost;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.httpPort}`;
}

/**
 * Runs `fn` against the HTTP API of the running server (what lives only in its memory, such as calls in progress).
 * The bearer token is `CENTRALA_TOKEN` when set, else an operator token minted in the store for this command and
 * revoked when it ends. The server is found at `--http-host`/`--http-port` (0.0.0.0 → 127.0.0.1); when none answers,
 * one line says where the CLI looked.
 */
export async function withServerApi<T>(config: Config, services: Services, io: CliIo, fn: (request: ServerRequest) => Promise<T>): Promise<T> {
  const base = localApiUrl(config);
  const given = io.env.CENTRALA_TOKEN;
  const minted = given === undefined || given === '' ? await services.auth.createOperatorToken(CLI_TOKEN_LABEL) : undefined;
  const token = minted?.token ?? given ?? '';
  const request: ServerRequest = async (method, path) => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
      throw new CliError(
        `no Centrala server answers at ${base} (--http-host ${config.httpHost} --http-port ${config.httpPort}): ${cause}; ` +
          'live calls are only known to the running server: start it, or give its --http-port',
      );
    }
    const text = await res.text();
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    if (res.status >= 400) throw new CliError(apiErrorLine(res.status, body));
    return { status: res.status, body };
  };
  try {
    return await fn(request);
  } finally {
    if (minted) await services.auth.revokeToken(minted.record.id);
  }
}

/** The API's error JSON as one line (`LIVE_CALL_NOT_FOUND: No such call in progress.`). */
function apiErrorLine(status: number, body: unknown): string {
  const error = typeof body === 'object' && body !== null && 'error' in body ? (body.error as { code?: unknown; message?: unknown }) : undefined;
  if (typeof error?.code === 'string' && typeof error.message === 'string') return `${error.code}: ${error.message}`;
  return `the server answered HTTP ${status}`;
}
