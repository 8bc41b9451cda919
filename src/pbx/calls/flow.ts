import { SipUri, type SipStack, type TransportAddress } from '../../sip/index.js';
import type { BindingRecord } from '../ports.js';

/** Where a device is reached: the address its requests came from and the connection they used. */
export interface Flow {
  readonly dest: TransportAddress;
  /** The connection (stream transports); undefined for UDP. */
  readonly connectionId: string | undefined;
}

/** The address family a device registered over. */
export function bindingFamily(binding: BindingRecord): 4 | 6 {
  return binding.sourceAddress.includes(':') ? 6 : 4;
}

/** The flow a registration was made over (RFC 5626: reach the device back the way it came). */
export function bindingFlow(binding: BindingRecord): Flow {
  return {
    dest: {
      transport: binding.sourceTransport,
      address: binding.sourceAddress,
      port: binding.sourcePort,
      family: bindingFamily(binding),
    },
    connectionId: binding.connectionId,
  };
}

/** Our Contact for a dialog with a device reached over `dest`. */
export function localContact(stack: SipStack, dest: TransportAddress, user = 'centrala'): string {
  const local = stack.localAddress(dest.transport);
  const host = local.family === 6 ? `[${local.address}]` : local.address;
  const transport = dest.transport === 'udp' ? '' : `;transport=${dest.transport}`;
  return `<sip:${user}@${host}:${local.port}${transport}>`;
}

/**
 * The flow of the binding whose contact is `contactUri` (or, failing that, whose RFC 5626 instance is
 * `instanceId`): where a device that re-registered over a new connection is reached now.
 */
export function flowOfContact(bindings: readonly BindingRecord[], contactUri: string, instanceId: string | undefined): Flow | undefined {
  const wanted = SipUri.parse(contactUri);
  // RFC 3261 §19.1.4 URI equality, as the registrar compares contacts (`transport=TCP` = `transport=tcp`).
  const match =
    bindings.find((b) => b.contactUri === contactUri || (wanted !== undefined && SipUri.parse(b.contactUri)?.equals(wanted) === true)) ??
    (instanceId !== undefined ? bindings.find((b) => b.instanceId === instanceId) : undefined);
  return match ? bindingFlow(match) : undefined;
}
