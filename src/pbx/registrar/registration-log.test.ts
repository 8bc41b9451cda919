import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogFields, Logger } from '../../lib/index.js';
import type { BindingRecord } from '../ports.js';
import { logExpired, logRegistrationChanges } from './registration-log.js';

interface Line {
  readonly level: string;
  readonly msg: string | undefined;
  readonly fields: LogFields;
}

/** A logger that keeps every line. */
function recorder(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const at =
    (level: string) =>
    (fields: LogFields, msg?: string): void =>
      void lines.push({ level, msg, fields });
  const logger: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return { logger, lines };
}

const NOW = 1_000_000;

function binding(id: string, overrides: Partial<BindingRecord> = {}): BindingRecord {
  return {
    id,
    tenantId: 't1',
    extensionId: 'e1',
    aor: 'sip:101@acme.test',
    contactUri: `sip:101@192.0.2.7:${5060 + id.length}`,
    expiresAt: NOW + 3_600_000,
    q: 1,
    callId: 'c1',
    cseq: 2,
    instanceId: undefined,
    regId: undefined,
    path: [],
    userAgent: 'Yealink SIP-T46U',
    sourceTransport: 'udp',
    sourceAddress: '192.0.2.7',
    sourcePort: 5060,
    connectionId: undefined,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

const SUBJECT = { tenant: 'acme.test', extension: '101' };

describe('registration log lines', () => {
  it('a new binding is one info line "registered" with tenant, extension, device, source, transport and expiry', () => {
    const { logger, lines } = recorder();
    logRegistrationChanges(logger, SUBJECT, [], [binding('b1')], NOW);
    assert.deepEqual(lines, [
      {
        level: 'info',
        msg: 'registered',
        fields: {
          tenant: 'acme.test',
          extension: '101',
          userAgent: 'Yealink SIP-T46U',
          source: '192.0.2.7:5060',
          transport: 'udp',
          contact: 'sip:101@192.0.2.7:5062',
          expires: 3600,
        },
      },
    ]);
  });

  it('a refresh is debug only; a removed binding is one info line "unregistered" with expires 0', () => {
    const { logger, lines } = recorder();
    const kept = binding('b1');
    const removed = binding('b22', { sourceAddress: '2001:db8::7', sourceTransport: 'tcp' });
    logRegistrationChanges(logger, SUBJECT, [kept, removed], [{ ...kept, expiresAt: NOW + 600_000 }], NOW);
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg, l.fields.expires, l.fields.source]),
      [
        ['debug', 'registration refreshed', 600, '192.0.2.7:5060'],
        ['info', 'unregistered', 0, '[2001:db8::7]:5060'],
      ],
    );
  });

  it('a binding that lapsed is not reported as unregistered by the next REGISTER, but by the sweep as "registration expired"', () => {
    const { logger, lines } = recorder();
    const lapsed = binding('b1', { expiresAt: NOW - 1 });
    logRegistrationChanges(logger, SUBJECT, [lapsed], [], NOW);
    assert.equal(lines.length, 0);
    logExpired(logger, lapsed);
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg, l.fields.tenant, l.fields.extension]),
      [['info', 'registration expired', 'acme.test', '101']],
    );
  });
});
