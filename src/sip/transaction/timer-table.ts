/**
 * The transaction timers of RFC 3261 §17 (Table 4 of Appendix A) and RFC 6026 §7.1/§7.2 (Timers L and M),
 * computed once per transaction from the configured T1/T2/T4 and the reliability of its transport.
 */

/** The configurable base values, in milliseconds. */
export interface TimerSettings {
  /** RTT estimate; RFC 3261 §17.1.1.1 recommends 500 ms. */
  readonly t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses; 4 s. */
  readonly t2: number;
  /** Maximum duration a message remains in the network; 5 s. */
  readonly t4: number;
  /** Timer D on unreliable transports; RFC 3261 §17.1.1.2: "at least 32 seconds". */
  readonly timerD: number;
  /**
   * RFC 3261 §17.2.1: the INVITE server transaction MUST send 100 (Trying) unless the TU answers
   * within 200 ms. 0 sends the 100 at once.
   */
  readonly tryingDelay: number;
}

/** RFC 3261 defaults: T1 500 ms, T2 4 s, T4 5 s, D 32 s, 100 (Trying) after 200 ms. */
export const DEFAULT_TIMER_SETTINGS: TimerSettings = Object.freeze({
  t1: 500,
  t2: 4000,
  t4: 5000,
  timerD: 32_000,
  tryingDelay: 200,
});

/**
 * Every timer a transaction uses, in milliseconds. Retransmission timers (A, E, G) are undefined on
 * reliable transports, where RFC 3261 does not start them; D, I, J and K are 0 there ("zero seconds
 * for reliable transports"), which the machines treat as "fires at once".
 */
export interface TimerTable {
  readonly T1: number;
  readonly T2: number;
  readonly T4: number;
  /** INVITE request retransmit interval, initially T1, doubling (§17.1.1.2). UDP only. */
  readonly A: number | undefined;
  /** INVITE transaction timeout, 64*T1. */
  readonly B: number;
  /** Wait time for response retransmits: ≥ 32 s on UDP, 0 on reliable transports. */
  readonly D: number;
  /** Non-INVITE request retransmit interval, initially T1, capped at T2 (§17.1.2.2). UDP only. */
  readonly E: number | undefined;
  /** Non-INVITE transaction timeout, 64*T1. */
  readonly F: number;
  /** INVITE response retransmit interval, initially T1, capped at T2 (§17.2.1). UDP only. */
  readonly G: number | undefined;
  /** Wait time for ACK receipt, 64*T1. */
  readonly H: number;
  /** Wait time for ACK retransmits: T4 on UDP, 0 on reliable transports. */
  readonly I: number;
  /** Wait time for non-INVITE request retransmits: 64*T1 on UDP, 0 on reliable transports. */
  readonly J: number;
  /** Wait time for response retransmits: T4 on UDP, 0 on reliable transports. */
  readonly K: number;
  /** RFC 6026: wait time for accepted INVITE request retransmits, 64*T1. */
  readonly L: number;
  /** RFC 6026: wait time for retransmission of 2xx to INVITE or additional 2xx from other branches, 64*T1. */
  readonly M: number;
  /** Delay before the INVITE server transaction sends 100 (Trying) on its own (§17.2.1). */
  readonly trying: number;
}

/** Builds settings from defaults and overrides; throws RangeError for values that make no sense. */
export function timerSettings(overrides: Partial<TimerSettings> = {}): TimerSettings {
  const s = { ...DEFAULT_TIMER_SETTINGS, ...overrides };
  for (const [name, value] of Object.entries(s)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`timer setting ${name} must be ≥ 0, got ${value}`);
  }
  if (s.t1 <= 0) throw new RangeError(`timer setting t1 must be > 0, got ${s.t1}`);
  if (s.t2 < s.t1) throw new RangeError(`timer setting t2 (${s.t2}) must not be below t1 (${s.t1})`);
  return Object.freeze(s);
}

/** The timer values for one transaction over a reliable (TCP, TLS, WS, SCTP) or unreliable (UDP) transport. */
export function timerTable(settings: TimerSettings, reliable: boolean): TimerTable {
  const { t1, t2, t4 } = settings;
  return Object.freeze({
    T1: t1,
    T2: t2,
    T4: t4,
    A: reliable ? undefined : t1,
    B: 64 * t1,
    D: reliable ? 0 : settings.timerD,
    E: reliable ? undefined : t1,
    F: 64 * t1,
    G: reliable ? undefined : t1,
    H: 64 * t1,
    I: reliable ? 0 : t4,
    J: reliable ? 0 : 64 * t1,
    K: reliable ? 0 : t4,
    L: 64 * t1,
    M: 64 * t1,
    trying: settings.tryingDelay,
  });
}
