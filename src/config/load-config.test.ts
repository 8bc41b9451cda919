import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, describeSetting, loadConfig, SETTINGS } from './index.js';

describe('loadConfig', () => {
  it('gives every default when nothing is set, with dataDir resolved against cwd', () => {
    const config = loadConfig({ cwd: '/srv/centrala' });
    assert.deepEqual(config, {
      dataDir: '/srv/centrala/data',
      databaseUrl: undefined,
      databasePoolSize: 10,
      databaseAcquireTimeout: 5000,
      databaseStatementTimeout: 30_000,
      databaseApplicationName: 'centrala',
      httpHost: '0.0.0.0',
      httpPort: 8080,
      trustProxy: false,
      logLevel: 'info',
      logFormat: 'auto',
      sipHost: ['0.0.0.0'],
      sipPort: 5060,
      sipTlsPort: 5061,
      sipWsPort: 8088,
      sipPublicAddress: undefined,
      rtpPorts: { from: 20000, to: 29999 },
      rtpTimeout: 30,
      shutdownTimeout: 5,
      sipRateLimit: 200,
      sipMaxConnectionsPerSource: 100,
      sipHeaderTimeout: 5,
      sipAuthTimeout: 60,
      sipUnauthenticatedHeaderLimit: 16_384,
      tlsCert: undefined,
      tlsKey: undefined,
    });
    assert.ok(Object.isFrozen(config));
  });

  it('reads the environment, and flags win over the environment', () => {
    const env = {
      CENTRALA_DATA_DIR: '/var/lib/centrala',
      CENTRALA_HTTP_PORT: '9000',
      CENTRALA_HTTP_HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://pbx@db.example:5432/pbx',
      CENTRALA_LOG_LEVEL: 'DEBUG',
      CENTRALA_TRUST_PROXY: 'yes',
    };
    const fromEnv = loadConfig({ env, cwd: '/' });
    assert.equal(fromEnv.dataDir, '/var/lib/centrala');
    assert.equal(fromEnv.httpPort, 9000);
    assert.equal(fromEnv.httpHost, '127.0.0.1');
    assert.equal(fromEnv.databaseUrl, 'postgres://pbx@db.example:5432/pbx');
    assert.equal(fromEnv.logLevel, 'debug');
    assert.equal(fromEnv.trustProxy, true);

    const withFlags = loadConfig({ env, cwd: '/', flags: { httpPort: '9100', dataDir: 'rel', trustProxy: false } });
    assert.equal(withFlags.httpPort, 9100);
    assert.equal(withFlags.dataDir, '/rel');
    assert.equal(withFlags.trustProxy, false);
    assert.equal(withFlags.logLevel, 'debug');
  });

  it('reads the SIP rate limit as messages per second, or off', () => {
    assert.equal(loadConfig({ flags: { sipRateLimit: '50' } }).sipRateLimit, 50);
    assert.equal(loadConfig({ env: { CENTRALA_SIP_RATE_LIMIT: 'off' } }).sipRateLimit, undefined);
  });

  it('reads the PostgreSQL pool settings from flags and the environment; the statement timeout may be off', () => {
    const config = loadConfig({
      flags: { databasePoolSize: '4', databaseApplicationName: 'centrala-eu1' },
      env: { CENTRALA_DATABASE_ACQUIRE_TIMEOUT: '1500', CENTRALA_DATABASE_STATEMENT_TIMEOUT: 'off' },
    });
    assert.equal(config.databasePoolSize, 4);
    assert.equal(config.databaseAcquireTimeout, 1500);
    assert.equal(config.databaseStatementTimeout, undefined);
    assert.equal(config.databaseApplicationName, 'centrala-eu1');
    assert.equal(loadConfig({ env: { CENTRALA_DATABASE_STATEMENT_TIMEOUT: '2000' } }).databaseStatementTimeout, 2000);
  });

  it('reads a list of SIP bind addresses (IPv4 and IPv6)', () => {
    assert.deepEqual(loadConfig({ flags: { sipHost: '0.0.0.0, ::' } }).sipHost, ['0.0.0.0', '::']);
    assert.deepEqual(loadConfig({ env: { CENTRALA_SIP_HOST: '192.0.2.10' } }).sipHost, ['192.0.2.10']);
  });

  it('treats an empty environment variable as unset', () => {
    assert.equal(loadConfig({ env: { DATABASE_URL: '', CENTRALA_HTTP_PORT: '' } }).databaseUrl, undefined);
    assert.equal(loadConfig({ env: { CENTRALA_HTTP_PORT: '' } }).httpPort, 8080);
  });

  const invalid: Array<[string, Parameters<typeof loadConfig>[0], string]> = [
    ['a non-numeric flag port', { flags: { httpPort: 'abc' } }, 'invalid --http-port "abc": must be an integer 1-65535'],
    ['a port above 65535', { flags: { httpPort: '70000' } }, 'invalid --http-port "70000": must be an integer 1-65535'],
    ['port 0', { env: { CENTRALA_HTTP_PORT: '0' } }, 'invalid CENTRALA_HTTP_PORT "0": must be an integer 1-65535'],
    ['a fractional port', { env: { CENTRALA_HTTP_PORT: '80.5' } }, 'invalid CENTRALA_HTTP_PORT "80.5": must be an integer 1-65535'],
    ['a MySQL URL', { env: { DATABASE_URL: 'mysql://x@y/z' } }, 'invalid DATABASE_URL "mysql://x@y/z": must be a PostgreSQL URL like postgres://user:password@host:5432/database'],
    ['an unknown log level', { flags: { logLevel: 'loud' } }, 'invalid --log-level "loud": must be one of fatal, error, warn, info, debug, trace, silent'],
    ['an empty data dir flag', { flags: { dataDir: ' ' } }, 'invalid --data-dir " ": must not be empty'],
    ['a bad host', { flags: { httpHost: 'not a host' } }, 'invalid --http-host "not a host": must be an IP address or a host name'],
    ['a bad switch', { env: { CENTRALA_TRUST_PROXY: 'maybe' } }, 'invalid CENTRALA_TRUST_PROXY "maybe": must be true or false'],
    ['an empty pool', { flags: { databasePoolSize: '0' } }, 'invalid --database-pool-size "0": must be an integer 1-1000'],
    ['a non-ASCII application name', { env: { CENTRALA_DATABASE_APPLICATION_NAME: 'centrala-łódź' } }, 'invalid CENTRALA_DATABASE_APPLICATION_NAME "centrala-łódź": must be 1-63 printable ASCII characters'],
    ['a bad address in the SIP host list', { flags: { sipHost: '0.0.0.0,not a host' } }, 'invalid --sip-host "0.0.0.0,not a host": not a host: must be an IP address or a host name'],
    ['an empty entry in the SIP host list', { env: { CENTRALA_SIP_HOST: '0.0.0.0,' } }, 'invalid CENTRALA_SIP_HOST "0.0.0.0,": an empty entry: must be an IP address or a host name'],
    ['two IPv6 SIP hosts', { flags: { sipHost: '::, ::1' } }, 'invalid --sip-host "::, ::1": at most one IPv6 address (for several IPv6 interfaces bind ::)'],
    ['a SIP rate limit of 0', { flags: { sipRateLimit: '0' } }, 'invalid --sip-rate-limit "0": must be an integer 1-1000000'],
    ['two IPv4 SIP hosts', { flags: { sipHost: '10.0.0.1,pbx.example' } }, 'invalid --sip-host "10.0.0.1,pbx.example": at most one IPv4 address (for several IPv4 interfaces bind 0.0.0.0)'],
  ];
  for (const [what, sources, message] of invalid) {
    it(`rejects ${what} with one line naming the setting`, () => {
      assert.throws(
        () => loadConfig(sources),
        (err: unknown) => err instanceof ConfigError && err.message === message && !err.message.includes('\n'),
      );
    });
  }

  it('has a flag, a description and a valid default for every setting', () => {
    const flags = new Set<string>();
    for (const [name, spec] of Object.entries(SETTINGS)) {
      assert.match(spec.flag, /^[a-z][a-z0-9-]*$/, name);
      assert.ok(!flags.has(spec.flag), `duplicate flag ${spec.flag}`);
      flags.add(spec.flag);
      assert.ok(spec.description.length > 0, name);
    }
  });

  it('remembers how each setting was given, for messages: flag, environment or default', () => {
    const config = loadConfig({ flags: { httpPort: '9090' }, env: { CENTRALA_SIP_PORT: '5070', CENTRALA_HTTP_PORT: '9000' } });
    assert.equal(describeSetting(config, 'httpPort'), '--http-port 9090');
    assert.equal(describeSetting(config, 'sipPort'), 'CENTRALA_SIP_PORT=5070');
    assert.equal(describeSetting(config, 'sipWsPort'), '8088 is the default of --sip-ws-port / CENTRALA_SIP_WS_PORT');
    assert.equal(describeSetting(config, 'rtpPorts'), '20000-29999 is the default of --rtp-ports / CENTRALA_RTP_PORTS');
    assert.equal(describeSetting({ ...config }, 'sipPort'), '--sip-port 5070', 'a configuration built elsewhere is described by its flags');
  });
});
