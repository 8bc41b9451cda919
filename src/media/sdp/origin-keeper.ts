import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { serializeSdp } from './serialize-sdp.js';
import type { Origin, SessionDescription } from './session-description.js';

/**
 * Owns the o= line of every SDP one side sends to one peer across a dialog (offers and answers
 * alike). RFC 3264 §8: "the "o=" line of the new SDP MUST be identical to that in the previous
 * SDP, except that the version in the origin field MUST increment by one from the previous SDP.
 * If the version in the origin line does not increment, the SDP MUST be identical to the SDP with
 * that version number." So `stamp` keeps the version when nothing else changed and adds exactly
 * one otherwise. A B2BUA needs this because the two legs are two different sessions: passing the
 * device's o= through would leak its version sequence into a session it does not own.
 */
export class SdpOriginKeeper {
  readonly #username: string;
  readonly #sessionId: string;
  readonly #address: string;
  #version: bigint;
  #last: string | undefined;

  constructor(options: { address: string; username?: string; sessionId?: string; initialVersion?: bigint }) {
    this.#address = options.address;
    this.#username = options.username ?? '-';
    // RFC 4566 §5.2: sess-id is a numeric string; an NTP-format timestamp is suggested, random is as unique.
    this.#sessionId = options.sessionId ?? String(randomInt(1, 2 ** 47));
    this.#version = options.initialVersion ?? (/^\d+$/.test(this.#sessionId) ? BigInt(this.#sessionId) : 1n);
  }

  /** The origin the next unchanged SDP would carry. */
  get origin(): Origin {
    return this.#originWith(this.#version);
  }

  /** Replaces the SDP's o= line with ours, incrementing the version only if the SDP differs from the previous one. */
  stamp(sdp: SessionDescription): SessionDescription {
    const body = serializeSdp({ ...sdp, origin: this.#originWith(0n) });
    if (this.#last !== undefined && body !== this.#last) this.#version += 1n;
    this.#last = body;
    return { ...sdp, origin: this.#originWith(this.#version) };
  }

  #originWith(version: bigint): Origin {
    return {
      username: this.#username,
      sessionId: this.#sessionId,
      sessionVersion: version,
      netType: 'IN',
      addrType: isIP(this.#address) === 6 ? 'IP6' : 'IP4',
      address: this.#address,
    };
  }
}
