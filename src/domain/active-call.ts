// A call in progress as the PBX's call engine reports it: shown by services, the API and the CLI (live calls).

/** Where one leg's media flows through the relay: our port, and the device's address once known. */
export interface ActiveCallMedia {
  /** Address the relay advertises to the device in SDP, and the relay's RTP port for it. */
  readonly relayAddress: string;
  readonly relayPort: number;
  /** Where the device's RTP comes from (`address:port`, after latching) or where its SDP asked for it; null before. */
  readonly device: string | null;
}

/** A snapshot of a call in progress (the live-calls view). Times in ms since the epoch. */
export interface ActiveCall {
  readonly id: string;
  readonly tenantId: string;
  /** SIP Call-ID of the caller's INVITE. */
  readonly callId: string;
  readonly callerNumber: string;
  readonly callerName: string;
  /** The number dialled. */
  readonly callee: string;
  /** The extension number that answered, once answered (differs from callee after forwarding). */
  readonly answeredBy: string | null;
  readonly state: 'routing' | 'ringing' | 'answered';
  readonly startedAt: number;
  readonly answeredAt: number | null;
  /** Codecs negotiated on the relay (encoding names, most preferred first); empty until an answer. */
  readonly codecs: readonly string[];
  /** Whether a side has put the call on hold. */
  readonly onHold: boolean;
  /** Relay leg A faces the caller, leg B the callee. */
  readonly media: { readonly caller: ActiveCallMedia; readonly callee: ActiveCallMedia };
}
