import type { SipRequest } from '../message/index.js';
import type { TransportAddress } from '../transport/index.js';

function sameHost(viaHost: string, address: string): boolean {
  const h = viaHost.replace(/^\[|\]$/g, '').toLowerCase();
  return h === address.toLowerCase();
}

/**
 * Sets `received` and `rport` on the top Via of an inbound request.
 * RFC 3261 §18.2.1: when the sent-by host differs from the packet's source address, the server
 * MUST add `received` with the source address. RFC 3581 §4: when the top Via has an empty `rport`,
 * the server MUST fill it with the source port and MUST add `received` even if the host matches.
 */
export function applyReceived(request: SipRequest, source: TransportAddress): SipRequest {
  const vias = request.via();
  const top = vias[0];
  if (!top) return request;
  const wantsRport = top.rport === true;
  const hostDiffers = !sameHost(top.host, source.address);
  if (!wantsRport && !hostDiffers) return request;
  const params: Record<string, string | null> = {};
  if (hostDiffers || wantsRport) params['received'] = source.address;
  if (wantsRport) params['rport'] = String(source.port);
  const updated = top.withParams(params);
  // The other Via values follow in their order; one header line with a comma list is equivalent (§7.3.1).
  const rest = request.headers.getAll('Via').slice(1);
  return request.withHeaders((h) => h.with('Via', [updated.toString(), ...rest].join(', ')));
}
