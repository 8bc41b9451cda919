import type { Logger } from '../../lib/index.js';
import type { BindingRecord } from '../ports.js';

/** Who a REGISTER came from, for its log lines. */
export interface RegistrationSubject {
  /** The tenant's SIP domain (the digest realm). */
  readonly tenant: string;
  /** Extension number. */
  readonly extension: string;
}

/** The fields an operator greps for in one binding's log line (never credentials: a binding holds none). */
function bindingFields(subject: RegistrationSubject, b: BindingRecord, now: number): Record<string, unknown> {
  return {
    tenant: subject.tenant,
    extension: subject.extension,
    userAgent: b.userAgent ?? null,
    source: `${b.sourceAddress.includes(':') ? `[${b.sourceAddress}]` : b.sourceAddress}:${b.sourcePort}`,
    transport: b.sourceTransport,
    contact: b.contactUri,
    ...(b.expiresAt > now ? { expires: Math.round((b.expiresAt - now) / 1000) } : {}),
  };
}

/**
 * Logs what one accepted REGISTER changed in an AOR's bindings: a new binding as `registered` and a removed one as
 * `unregistered` at info (one line each), a refreshed binding as `registration refreshed` at debug (phones refresh
 * every few minutes; that is not news).
 */
export function logRegistrationChanges(
  logger: Logger,
  subject: RegistrationSubject,
  before: readonly BindingRecord[],
  after: readonly BindingRecord[],
  now: number,
): void {
  const previous = new Map(before.map((b) => [b.id, b]));
  for (const b of after) {
    if (previous.has(b.id)) logger.debug(bindingFields(subject, b, now), 'registration refreshed');
    else logger.info(bindingFields(subject, b, now), 'registered');
    previous.delete(b.id);
  }
  for (const b of previous.values()) {
    if (b.expiresAt > now) logger.info({ ...bindingFields(subject, b, now), expires: 0 }, 'unregistered');
  }
}

/** Logs a binding the registrar dropped because the device did not refresh it in time (`registration expired`, info). */
export function logExpired(logger: Logger, b: BindingRecord): void {
  // The AOR is `sip:<number>@<domain>` (canonical, lower-case domain).
  const at = b.aor.indexOf('@');
  const subject = { tenant: b.aor.slice(at + 1), extension: b.aor.slice('sip:'.length, at) };
  logger.info(bindingFields(subject, b, b.expiresAt), 'registration expired');
}
