import type { BindingRecord, BindingTransport } from '../ports.js';
import type { RegistrarPolicy } from './registrar-policy.js';

/** One Contact of a REGISTER, already parsed. */
export interface RequestedContact {
  /** The URI as written (stored verbatim). */
  readonly uri: string;
  /** `expires` contact parameter, if any (seconds). */
  readonly expires: number | undefined;
  /** q-value 0..1, 1 when absent. */
  readonly q: number;
  /** `+sip.instance` without quotes / angle brackets kept as given. */
  readonly instanceId: string | undefined;
  readonly regId: number | undefined;
}

/** Everything of an authenticated REGISTER that changes bindings. */
export interface RegisterUpdate {
  readonly tenantId: string;
  readonly extensionId: string;
  readonly aor: string;
  readonly callId: string;
  readonly cseq: number;
  /** The Contact list, or `*` (RFC 3261 §10.2.2). Empty list = fetch bindings. */
  readonly contacts: readonly RequestedContact[] | '*';
  /** Expires header, if any. */
  readonly expiresHeader: number | undefined;
  readonly path: readonly string[];
  readonly userAgent: string | undefined;
  readonly sourceTransport: BindingTransport;
  readonly sourceAddress: string;
  readonly sourcePort: number;
  readonly connectionId: string | undefined;
}

/** The registrar's refusal of an update, turned into a SIP response by the caller. */
export interface RegisterFailure {
  readonly ok: false;
  readonly status: number;
  readonly reason: string;
  /** Extra header fields for the response (Min-Expires, Retry-After). */
  readonly headers: readonly [string, string][];
}

/** The outcome: the AOR's new binding set, or a failure that leaves it untouched. */
export type RegisterOutcome =
  | { readonly ok: true; readonly bindings: BindingRecord[]; readonly changed: boolean }
  | RegisterFailure;

/** Compares two contact URIs (RFC 3261 §19.1.4 in production, injected for purity). */
export type UriEquals = (a: string, b: string) => boolean;

/** Whether a binding's flow is known to be dead: its stream connection closed (injected for purity). */
export type FlowDead = (binding: BindingRecord) => boolean;

function fail(status: number, reason: string, headers: [string, string][] = []): RegisterFailure {
  return { ok: false, status, reason, headers };
}

function sameFlowKey(b: BindingRecord, c: RequestedContact, uriEquals: UriEquals): boolean {
  // RFC 5626 §6 / SPEC 2.1: with +sip.instance the binding is identified by (instance, reg-id), so a
  // device that re-registers from a new address replaces its old contact instead of adding one.
  if (c.instanceId !== undefined) return b.instanceId === c.instanceId && b.regId === c.regId;
  return b.instanceId === undefined && uriEquals(b.contactUri, c.uri);
}

/** The user part of a SIP URI (`sip:101@h:5070;transport=tcp` → `101`), or undefined. */
function contactUser(uri: string): string | undefined {
  return /^sips?:([^@;?]+)@/i.exec(uri)?.[1];
}

/**
 * The binding a new flow of the same device takes over: one whose flow is dead (its connection closed) and
 * that is the same device — the same `+sip.instance` (RFC 5626 §6: the instance identifies the device), or,
 * without instances on either side, the same Contact user from the same source address (a phone that
 * reconnects from a new port and writes that port into its Contact). A live binding is never taken over.
 */
function deadBindingOfSameDevice(
  working: readonly BindingRecord[],
  touched: ReadonlySet<string>,
  c: RequestedContact,
  update: RegisterUpdate,
  flowDead: FlowDead,
): BindingRecord | undefined {
  const user = contactUser(c.uri);
  return working.find((b) => {
    if (touched.has(b.id) || !flowDead(b)) return false;
    if (c.instanceId !== undefined) return b.instanceId === c.instanceId;
    return b.instanceId === undefined && user !== undefined && contactUser(b.contactUri) === user && b.sourceAddress === update.sourceAddress;
  });
}

/**
 * Applies a REGISTER to the current bindings of its AOR (RFC 3261 §10.3 steps 6–7) and returns the
 * new binding set. Pure: no I/O, the clock is the `now` argument. Expired bindings are dropped, and a new
 * flow of a device takes over the binding of its dead flow (see {@link deadBindingOfSameDevice}).
 */
export function applyRegister(
  existing: readonly BindingRecord[],
  update: RegisterUpdate,
  now: number,
  policy: RegistrarPolicy,
  newId: () => string,
  uriEquals: UriEquals,
  flowDead: FlowDead = () => false,
): RegisterOutcome {
  const live = existing.filter((b) => b.expiresAt > now);
  let changed = live.length !== existing.length;

  if (update.contacts === '*') {
    // §10.3 step 6: "*" is only allowed with Expires: 0.
    if (update.expiresHeader !== 0) return fail(400, 'Wildcard Contact Requires Expires: 0');
    for (const b of live) {
      // §10.3 step 6: a binding with the same Call-ID is only removed if the CSeq is higher;
      // otherwise the update MUST be aborted and the request fails.
      if (b.callId === update.callId && update.cseq <= b.cseq) return fail(500, 'Out Of Order CSeq');
    }
    return { ok: true, bindings: [], changed: changed || live.length > 0 };
  }

  let working: BindingRecord[] = [...live];
  const touched = new Set<string>();
  for (const c of update.contacts) {
    let expires = c.expires ?? update.expiresHeader ?? policy.defaultExpires;
    // §10.3 step 7: a non-zero expiry shorter than the registrar allows gets 423 with Min-Expires.
    if (expires > 0 && expires < policy.minExpires) {
      return fail(423, 'Interval Too Brief', [['Min-Expires', String(policy.minExpires)]]);
    }
    // §10.3: the registrar MAY shorten the interval.
    if (expires > policy.maxExpires) expires = policy.maxExpires;

    const match = working.find((b) => sameFlowKey(b, c, uriEquals));
    // A new flow of a device whose old flow died replaces that binding instead of adding one (RFC 5626 §6).
    const replaced = match === undefined && expires > 0 ? deadBindingOfSameDevice(working, touched, c, update, flowDead) : undefined;
    if (match && !touched.has(match.id) && match.callId === update.callId && update.cseq <= match.cseq) {
      // §10.3 step 7: same Call-ID and a CSeq that is not higher: abort, the request fails.
      return fail(500, 'Out Of Order CSeq');
    }
    if (expires === 0) {
      if (match) {
        working = working.filter((b) => b !== match);
        changed = true;
      }
      continue;
    }
    const binding: BindingRecord = {
      id: match?.id ?? newId(),
      tenantId: update.tenantId,
      extensionId: update.extensionId,
      aor: update.aor,
      contactUri: c.uri,
      expiresAt: now + expires * 1000,
      q: c.q,
      callId: update.callId,
      cseq: update.cseq,
      instanceId: c.instanceId,
      regId: c.regId,
      path: [...update.path],
      userAgent: update.userAgent,
      sourceTransport: update.sourceTransport,
      sourceAddress: update.sourceAddress,
      sourcePort: update.sourcePort,
      connectionId: update.connectionId,
      createdAt: match?.createdAt ?? now,
      updatedAt: now,
    };
    touched.add(binding.id);
    const old = match ?? replaced;
    working = old ? working.map((b) => (b === old ? binding : b)) : [...working, binding];
    changed = true;
  }

  if (working.length > policy.maxContacts) {
    const oldest = live.length > 0 ? Math.min(...live.map((b) => b.expiresAt)) : now;
    const retryAfter = Math.max(1, Math.ceil((oldest - now) / 1000));
    return fail(503, 'Too Many Registered Contacts', [['Retry-After', String(retryAfter)]]);
  }
  return { ok: true, bindings: working, changed };
}
