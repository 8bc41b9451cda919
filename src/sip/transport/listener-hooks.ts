import type { Server, Socket } from 'node:net';
import type { Logger } from '../../lib/index.js';
import type { TransportProtocol } from './types.js';

/** What every listening socket reports to: a logger and the layer's error event. */
export interface ListenerHooks {
  readonly logger: Logger;
  /** A listening socket failed after it was bound (not a per-peer failure). */
  onError(err: Error): void;
  /**
   * Asked for each accepted stream socket, before any handshake: a function giving its slot back
   * when the socket closes, or undefined when it must be closed at once (connection limits).
   */
  admit(transport: TransportProtocol, remoteAddress: string | undefined): (() => void) | undefined;
}

/**
 * Tracks every raw socket `server` accepts in `sockets` (so close() can end them all, TLS ones still in their
 * handshake too), after asking `hooks.admit` for a slot: the connection limits apply before any handshake costs
 * anything. Calls `onAdmitted` for each admitted socket.
 */
export function admitConnections(
  server: Server,
  kind: TransportProtocol,
  hooks: ListenerHooks,
  sockets: Set<Socket>,
  onAdmitted?: (socket: Socket) => void,
): void {
  server.on('connection', (socket: Socket) => {
    socket.on('error', (err) => hooks.logger.debug({ err }, 'socket error'));
    const release = hooks.admit(kind, socket.remoteAddress);
    if (!release) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      release();
    });
    onAdmitted?.(socket);
  });
}
