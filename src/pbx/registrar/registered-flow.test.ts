import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, silentLogger } from '../../lib/index.js';
import type { TransportAddress } from '../../sip/index.js';
import type { BindingRecord, LocationStore } from '../ports.js';
import { LocationService } from './location-service.js';
import { DEFAULT_REGISTRAR_POLICY } from './registrar-policy.js';
import { isBindingFlow, registeredFlowOf } from './registered-flow.js';

const store: LocationStore = {
  loadActive: async () => [],
  replaceAor: async () => undefined,
  deleteExpired: async () => 0,
};

function binding(extra: Partial<BindingRecord>): BindingRecord {
  return {
    id: 'b1', tenantId: 't1', extensionId: 'e101', aor: 'sip:101@office.test', contactUri: 'sip:101@10.0.0.5:5070',
    expiresAt: 1_700_000_600_000, q: 1, callId: 'c1', cseq: 1, instanceId: undefined, regId: undefined, path: [],
    userAgent: undefined, sourceTransport: 'udp', sourceAddress: '203.0.113.7', sourcePort: 40001, connectionId: undefined,
    createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000,
    ...extra,
  };
}

function from(address: string, port: number, transport: TransportAddress['transport'] = 'udp', connectionId?: string) {
  return { source: { transport, address, port, family: 4 as const }, connectionId };
}

describe('the registered flow of a request (brute-force exemption)', () => {
  it('UDP: the same address and port is the flow; another port behind the same NAT is not', () => {
    const b = binding({});
    assert.equal(isBindingFlow(b, from('203.0.113.7', 40001)), true);
    assert.equal(isBindingFlow(b, from('203.0.113.7', 40002)), false);
    assert.equal(isBindingFlow(b, from('203.0.113.8', 40001)), false);
    assert.equal(isBindingFlow(b, from('203.0.113.7', 40001, 'tcp', 'tcp-x')), false);
  });

  it('TCP/TLS/WS: the same connection is the flow; a new connection from the same address and port is not', () => {
    const b = binding({ sourceTransport: 'tcp', connectionId: 'tcp-1' });
    assert.equal(isBindingFlow(b, from('203.0.113.7', 40001, 'tcp', 'tcp-1')), true);
    assert.equal(isBindingFlow(b, from('203.0.113.7', 40001, 'tcp', 'tcp-2')), false);
  });

  it('looks only at live bindings of the username in that realm', async () => {
    const clock = new FakeClock();
    const location = new LocationService({ store, clock, logger: silentLogger(), policy: DEFAULT_REGISTRAR_POLICY });
    await location.update('sip:101@office.test', () => ({ ok: true, changed: true, bindings: [binding({ expiresAt: clock.now() + 60_000 })] }));
    const flow = registeredFlowOf(location, 'OFFICE.test', from('203.0.113.7', 40001));
    assert.equal(flow('101'), true);
    assert.equal(flow('102'), false, 'another extension from the same flow');
    assert.equal(registeredFlowOf(location, 'other.test', from('203.0.113.7', 40001))('101'), false, 'another tenant');
    clock.advance(60_000);
    assert.equal(flow('101'), false, 'an expired binding is no flow');
    await location.close();
  });
});
