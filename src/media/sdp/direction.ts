import { type Direction, mediaDirection } from './attributes.js';
import { isUnspecifiedAddress } from './media-address.js';
import type { MediaDescription, SessionDescription } from './session-description.js';

/**
 * The direction an answer takes for an offered direction, limited to what the answerer can do.
 * RFC 3264 §6.1: "If a stream is offered as sendonly, the corresponding stream MUST be marked as
 * recvonly or inactive in the answer. If a media stream is listed as recvonly in the offer, the
 * answer MUST be marked as sendonly or inactive ... If an offered media stream is listed as
 * inactive, it MUST be marked as inactive in the answer."
 */
export function answerDirection(offered: Direction, local: Direction = 'sendrecv'): Direction {
  const canSend = (offered === 'sendrecv' || offered === 'recvonly') && (local === 'sendrecv' || local === 'sendonly');
  const canReceive = (offered === 'sendrecv' || offered === 'sendonly') && (local === 'sendrecv' || local === 'recvonly');
  if (canSend && canReceive) return 'sendrecv';
  if (canSend) return 'sendonly';
  if (canReceive) return 'recvonly';
  return 'inactive';
}

/**
 * Whether the writer of this SDP puts the stream on hold: it will not receive media. RFC 3264 §8.4:
 * hold is a=sendonly (or a=inactive if already held the other way); RFC 2543 used c=0.0.0.0, which
 * RFC 3264 §8.4 still asks answerers to understand.
 */
export function isOnHold(media: MediaDescription, session: SessionDescription): boolean {
  if (media.port === 0) return false;
  const direction = mediaDirection(media, session);
  if (direction === 'sendonly' || direction === 'inactive') return true;
  const connection = media.connection ?? session.connection;
  return connection !== undefined && isUnspecifiedAddress(connection.address.split('/')[0] ?? '');
}

/** Whether every active audio stream of the SDP is on hold (a session with no active audio is not "held"). */
export function isSessionOnHold(sdp: SessionDescription): boolean {
  const audio = sdp.media.filter((m) => m.type === 'audio' && m.port !== 0);
  return audio.length > 0 && audio.every((m) => isOnHold(m, sdp));
}
