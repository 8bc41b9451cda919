import type { SipStack, TransportAddress, TransportProtocol } from '../../sip/index.js';
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
      transport: binding.sourceTransport as TransportProtocol,
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
