import type { IncomingRequest } from '../../sip/index.js';
import type { BindingRecord } from '../ports.js';
import type { LocationService } from './location-service.js';

/** The canonical address-of-record of extension `number` in `domain`: `sip:<number>@<domain>` (lower-case domain). */
export function canonicalAor(number: string, domain: string): string {
  return `sip:${number}@${domain.toLowerCase()}`;
}

/**
 * True when a request came over the flow of `binding`: the same connection (stream transports), or the same
 * transport, address and port (UDP: the NAT mapping the device registered through). Another device behind the
 * same NAT has another port, and a new connection another id.
 */
export function isBindingFlow(binding: BindingRecord, request: Pick<IncomingRequest, 'source' | 'connectionId'>): boolean {
  if (binding.connectionId !== undefined || request.connectionId !== undefined) return binding.connectionId === request.connectionId;
  return (
    binding.sourceTransport === request.source.transport &&
    binding.sourceAddress === request.source.address &&
    binding.sourcePort === request.source.port
  );
}

/**
 * For the authenticator: whether `request` came over a flow that carries a live registration of `username` in
 * `realm` (docs/registrar.md, "Brute-force protection"). In memory: at most the AOR's few bindings are looked at.
 */
export function registeredFlowOf(
  location: LocationService,
  realm: string,
  request: Pick<IncomingRequest, 'source' | 'connectionId'>,
): (username: string) => boolean {
  return (username) => location.lookup(canonicalAor(username, realm)).some((b) => isBindingFlow(b, request));
}
