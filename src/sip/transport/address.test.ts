import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addressKey,
  formatHostPort,
  formatTransportAddress,
  ipFamily,
  isWildcard,
  normalizeIp,
  parseHostPort,
  parsePort,
  pickInterfaceAddress,
  transportAddress,
} from './address.js';

describe('formatHostPort', () => {
  const cases: [string, number | undefined, string][] = [
    ['192.0.2.1', 5060, '192.0.2.1:5060'],
    ['::1', 5060, '[::1]:5060'],
    ['[::1]', 5061, '[::1]:5061'],
    ['2001:db8::7', undefined, '[2001:db8::7]'],
    ['pbx.example.com', 5080, 'pbx.example.com:5080'],
    ['pbx.example.com', undefined, 'pbx.example.com'],
  ];
  for (const [host, port, expected] of cases) {
    it(`writes ${host} ${port ?? '(no port)'} as ${expected}, IPv6 in brackets (RFC 3986 §3.2.2)`, () => {
      assert.equal(formatHostPort(host, port), expected);
    });
  }
});

describe('parseHostPort', () => {
  const good: [string, string, number | undefined][] = [
    ['192.0.2.1:5060', '192.0.2.1', 5060],
    ['192.0.2.1', '192.0.2.1', undefined],
    ['[::1]:5060', '::1', 5060],
    ['[2001:db8::1]', '2001:db8::1', undefined],
    ['2001:db8::1', '2001:db8::1', undefined],
    ['pbx.example.com:0', 'pbx.example.com', 0],
    [' host:65535 ', 'host', 65535],
  ];
  for (const [text, host, port] of good) {
    it(`parses ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseHostPort(text), { host, port });
    });
  }
  const bad = ['', '[::1', '[::1]x', '[::1]:', 'host:65536', 'host:-1', 'host:5o60', ':5060', '[pbx]:5060', 'a b:1', '1:2:3x'];
  for (const text of bad) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.equal(parseHostPort(text), undefined);
    });
  }
  it('round-trips with formatHostPort for IPv4 and IPv6', () => {
    for (const host of ['10.1.2.3', 'fe80::1', '2001:db8:0:1::5']) {
      assert.deepEqual(parseHostPort(formatHostPort(host, 5062)), { host, port: 5062 });
    }
  });
});

describe('parsePort', () => {
  it('accepts 0–65535 in decimal only', () => {
    assert.equal(parsePort('0'), 0);
    assert.equal(parsePort('5060'), 5060);
    assert.equal(parsePort('65536'), undefined);
    assert.equal(parsePort('0x10'), undefined);
    assert.equal(parsePort(''), undefined);
  });
});

describe('normalizeIp', () => {
  it('compresses and lower-cases IPv6 (RFC 5952)', () => {
    assert.deepEqual(normalizeIp('2001:DB8:0:0:0:0:0:1'), { address: '2001:db8::1', family: 6 });
    assert.deepEqual(normalizeIp('[0:0:0:0:0:0:0:1]'), { address: '::1', family: 6 });
  });
  it('turns an IPv4-mapped IPv6 address from a dual-stack socket into IPv4', () => {
    assert.deepEqual(normalizeIp('::ffff:192.0.2.9'), { address: '192.0.2.9', family: 4 });
    assert.deepEqual(normalizeIp('::FFFF:7f00:1'), { address: '127.0.0.1', family: 4 });
  });
  it('keeps an IPv6 zone id', () => {
    assert.deepEqual(normalizeIp('FE80::1%eth0'), { address: 'fe80::1%eth0', family: 6 });
  });
  it('returns undefined for host names', () => {
    assert.equal(normalizeIp('pbx.example.com'), undefined);
    assert.equal(ipFamily('pbx.example.com'), undefined);
  });
});

describe('isWildcard', () => {
  it('is true only for 0.0.0.0 and ::', () => {
    assert.equal(isWildcard('0.0.0.0'), true);
    assert.equal(isWildcard('::'), true);
    assert.equal(isWildcard('0:0::0'), true);
    assert.equal(isWildcard('127.0.0.1'), false);
    assert.equal(isWildcard('::1'), false);
  });
});

describe('transportAddress / addressKey / formatTransportAddress', () => {
  it('builds a normalized address with its family', () => {
    assert.deepEqual(transportAddress('tcp', '::ffff:127.0.0.1', 5060), {
      transport: 'tcp',
      address: '127.0.0.1',
      port: 5060,
      family: 4,
    });
    assert.equal(transportAddress('udp', 'example.com', 5060), undefined);
    assert.equal(transportAddress('udp', '::1', 70000), undefined);
    assert.equal(transportAddress('udp', undefined, 5060), undefined);
  });
  it('keys differ by transport, address and port', () => {
    const a = { transport: 'tcp' as const, address: '::1', port: 5060 };
    assert.equal(addressKey(a), 'tcp|::1|5060');
    assert.notEqual(addressKey(a), addressKey({ ...a, transport: 'tls' }));
    assert.equal(formatTransportAddress(a), 'tcp:[::1]:5060');
  });
});

describe('pickInterfaceAddress', () => {
  const table = {
    lo: [
      { address: '127.0.0.1', family: 'IPv4', internal: true },
      { address: '::1', family: 'IPv6', internal: true },
    ],
    eth0: [
      { address: 'fe80::abcd', family: 'IPv6', internal: false },
      { address: '198.51.100.4', family: 'IPv4', internal: false },
      { address: '2001:db8::4', family: 6, internal: false },
    ],
  };
  it('picks the first external address of the family, skipping link-local IPv6', () => {
    assert.equal(pickInterfaceAddress(table, 4), '198.51.100.4');
    assert.equal(pickInterfaceAddress(table, 6), '2001:db8::4');
  });
  it('falls back to loopback when there is no external address', () => {
    assert.equal(pickInterfaceAddress({ lo: table.lo }, 4), '127.0.0.1');
    assert.equal(pickInterfaceAddress({}, 6), '::1');
  });
});
