import { type Clock, type Logger, StoreUnavailableError, uuid } from '../../lib/index.js';
import { SipUri, type IncomingRequest, type SipRequest } from '../../sip/index.js';
import type { AuthExtension, BindingRecord, ExtensionDirectory } from '../ports.js';
import { applyRegister, type RequestedContact, type RegisterFailure } from './apply-register.js';
import type { LocationService } from './location-service.js';
import { challengeAlgorithms, type DigestAlgorithmName, type RegistrarAuthenticator } from './registrar-authenticator.js';
import type { RegistrarPolicy } from './registrar-policy.js';
import { canonicalAor, registeredFlowOf } from './registered-flow.js';
import { logRegistrationChanges } from './registration-log.js';

/** Dependencies of the {@link Registrar}. */
export interface RegistrarOptions {
  readonly directory: ExtensionDirectory;
  readonly authenticator: RegistrarAuthenticator;
  readonly location: LocationService;
  readonly policy: RegistrarPolicy;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Digest algorithms to offer, most preferred first (default SHA-256, MD5). */
  readonly digestAlgorithms?: readonly DigestAlgorithmName[];
  /**
   * Whether a stream connection is still open (the SIP stack's `hasConnection`). A binding whose connection
   * closed may be taken over by a new flow of the same device; without this, no flow counts as dead.
   */
  readonly connectionOpen?: (connectionId: string) => boolean;
}

type ParsedContacts = { ok: true; contacts: RequestedContact[] | '*' } | { ok: false; reason: string };

function parseQ(raw: string | null | undefined): number | undefined | null {
  if (raw === undefined) return undefined;
  // RFC 3261 §25.1: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  if (raw === null || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(raw)) return null;
  return Number(raw);
}

function parseContacts(request: SipRequest): ParsedContacts {
  const contacts = request.contacts();
  if (contacts === '*') {
    // RFC 3261 §10.2.2: "*" MUST be the only Contact.
    if (request.headers.getAll('Contact').length !== 1) return { ok: false, reason: 'Wildcard Contact Not Alone' };
    return { ok: true, contacts: '*' };
  }
  const out: RequestedContact[] = [];
  for (const c of contacts) {
    const expiresRaw = c.param('expires');
    let expires: number | undefined;
    if (expiresRaw !== undefined) {
      if (expiresRaw === null || !/^\d{1,10}$/.test(expiresRaw)) return { ok: false, reason: 'Bad Contact Expires' };
      expires = Number(expiresRaw);
    }
    const q = parseQ(c.param('q'));
    if (q === null) return { ok: false, reason: 'Bad Contact q-value' };
    const instanceRaw = c.param('+sip.instance');
    const regIdRaw = c.param('reg-id');
    let regId: number | undefined;
    if (regIdRaw !== undefined) {
      if (regIdRaw === null || !/^\d{1,10}$/.test(regIdRaw)) return { ok: false, reason: 'Bad Contact reg-id' };
      regId = Number(regIdRaw);
    }
    out.push({
      uri: c.uri.toString(),
      expires,
      q: q ?? 1,
      instanceId: typeof instanceRaw === 'string' ? instanceRaw.replace(/^"|"$/g, '') : undefined,
      regId,
    });
  }
  return { ok: true, contacts: out };
}

function uriEquals(a: string, b: string): boolean {
  if (a === b) return true;
  const ua = SipUri.parse(a);
  const ub = SipUri.parse(b);
  return ua !== undefined && ub !== undefined && ua.equals(ub);
}

function contactHeader(b: BindingRecord, now: number): string {
  let v = `<${b.contactUri}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`;
  if (b.q !== 1) v += `;q=${b.q}`;
  if (b.instanceId !== undefined) v += `;+sip.instance="${b.instanceId}"`;
  if (b.regId !== undefined) v += `;reg-id=${b.regId}`;
  return v;
}

/**
 * The digest realm for a request: the first of `domains` (lower-cased) that is a tenant's SIP domain,
 * else the first one (the challenge then fails like a wrong password: nothing is revealed).
 */
export async function tenantRealm(directory: ExtensionDirectory, domains: readonly string[]): Promise<string> {
  const candidates = domains.map((d) => d.toLowerCase()).filter((d) => d !== '');
  for (const domain of candidates) {
    if (await directory.hasDomain(domain)) return domain;
  }
  return candidates[0] ?? '';
}

function supports(request: SipRequest, option: string): boolean {
  return request.headers.getAll('Supported').some((v) => v.trim().toLowerCase() === option);
}

/**
 * The registrar (RFC 3261 §10.3): authenticates a REGISTER with digest (the To domain selects the
 * tenant and realm), applies its contacts to the location service and answers with every current
 * contact. Handles `*`, expiry limits (423), Call-ID/CSeq ordering, q, Path (RFC 3327),
 * +sip.instance/reg-id (RFC 5626) and flows.
 */
export class Registrar {
  readonly #o: RegistrarOptions;

  constructor(options: RegistrarOptions) {
    this.#o = options;
  }


  /** Handles one REGISTER server transaction. Never throws: failures become responses. */
  async handle(ctx: IncomingRequest): Promise<void> {
    try {
      await this.#handle(ctx);
    } catch (err) {
      if (err instanceof StoreUnavailableError) {
        // The store cannot take it now: a temporary failure the device retries after Retry-After (RFC 3261
        // §21.5.4), and its binding is as it was (nothing was written). Debug: an outage is logged once, by the
        // store, not once per phone.
        this.#o.logger.debug({ err, callId: ctx.request.callId() }, 'REGISTER refused: store unavailable');
        await ctx.reply(503, { headers: [['Retry-After', String(err.retryAfterSeconds)]] }).catch(() => undefined);
        return;
      }
      this.#o.logger.error({ err, callId: ctx.request.callId() }, 'REGISTER failed');
      await ctx.reply(500, { reason: 'Registrar Error' }).catch(() => undefined);
    }
  }

  async #handle(ctx: IncomingRequest): Promise<void> {
    const request = ctx.request;
    const to = request.to();
    const toUri = to?.uri;
    if (!toUri || (toUri.scheme !== 'sip' && toUri.scheme !== 'sips') || !toUri.user) {
      // RFC 3261 §10.3 step 5: the To header must hold a valid address-of-record.
      await ctx.reply(400, { reason: 'Invalid To Address-Of-Record' });
      return;
    }
    const callId = request.callId();
    const cseq = request.cseq();
    if (callId === undefined || cseq === undefined) {
      await ctx.reply(400, { reason: 'Missing Call-ID Or CSeq' });
      return;
    }
    const number = toUri.user;
    const realm = await tenantRealm(this.#o.directory, [toUri.host, request.uri.host]);
    const userAgent = request.headers.get('User-Agent');

    // RFC 3261 §10.3 step 3: the registrar SHOULD authenticate the UAC.
    const decision = await this.#o.authenticator.check({
      method: request.method,
      authorizations: request.headers.getAll('Authorization'),
      realm,
      sourceAddress: ctx.source.address,
      lookup: (username) => this.#o.directory.findForAuth(realm, username),
      registeredFlow: registeredFlowOf(this.#o.location, realm, ctx),
    });
    if (decision.kind === 'blocked') {
      await ctx.reply(403, { reason: 'Forbidden' });
      return;
    }
    if (decision.kind === 'challenge') {
      const values = this.#o.authenticator.challenge(
        realm,
        ctx.source.address,
        decision.stale,
        challengeAlgorithms(userAgent, this.#o.digestAlgorithms),
      );
      await ctx.reply(401, { headers: values.map((v): [string, string] => ['WWW-Authenticate', v]) });
      return;
    }
    // §10.3 step 4: the authenticated user must be authorised to modify this AOR (its own only).
    if (decision.extension.number !== number) {
      await ctx.reply(403, { reason: 'Forbidden' });
      return;
    }
    await this.#register(ctx, decision.extension, { callId, cseq: cseq.seq, realm, userAgent });
  }

  async #register(
    ctx: IncomingRequest,
    ext: AuthExtension,
    meta: { callId: string; cseq: number; realm: string; userAgent: string | undefined },
  ): Promise<void> {
    const request = ctx.request;
    const parsed = parseContacts(request);
    if (!parsed.ok) {
      await ctx.reply(400, { reason: parsed.reason });
      return;
    }
    const aor = canonicalAor(ext.number, meta.realm);
    const path = request.headers.getAll('Path');
    const open = this.#o.connectionOpen;
    const flowDead = (b: BindingRecord): boolean => open !== undefined && b.connectionId !== undefined && !open(b.connectionId);
    let before: readonly BindingRecord[] = [];
    const outcome = await this.#o.location.update(aor, (current) => {
      before = current;
      return applyRegister(
        current,
        {
          tenantId: ext.tenantId,
          extensionId: ext.extensionId,
          aor,
          callId: meta.callId,
          cseq: meta.cseq,
          contacts: parsed.contacts,
          expiresHeader: request.expires(),
          path,
          userAgent: meta.userAgent,
          sourceTransport: ctx.source.transport,
          sourceAddress: ctx.source.address,
          sourcePort: ctx.source.port,
          connectionId: ctx.connectionId,
        },
        this.#o.clock.now(),
        this.#o.policy,
        uuid,
        uriEquals,
        flowDead,
      );
    });
    if (!outcome.ok) {
      await this.#refuse(ctx, outcome);
      return;
    }
    const now = this.#o.clock.now();
    const headers: [string, string][] = outcome.bindings
      .slice()
      .sort((a, b) => b.q - a.q)
      .map((b) => ['Contact', contactHeader(b, now)]);
    // RFC 3327 §5.3: the registrar echoes the stored Path when the UA indicated Supported: path.
    if (path.length > 0 && supports(request, 'path')) for (const p of path) headers.push(['Path', p]);
    // RFC 5626 §6: a registration with reg-id that used outbound gets Require: outbound.
    const usesOutbound =
      parsed.contacts !== '*' && parsed.contacts.some((c) => c.regId !== undefined) && supports(request, 'outbound');
    if (usesOutbound) headers.push(['Require', 'outbound']);
    // §10.3 step 8: the response SHOULD include a Date header field.
    headers.push(['Date', new Date(now).toUTCString()]);
    if (outcome.changed) logRegistrationChanges(this.#o.logger, { tenant: meta.realm, extension: ext.number }, before, outcome.bindings, now);
    await ctx.reply(200, { headers });
  }

  async #refuse(ctx: IncomingRequest, failure: RegisterFailure): Promise<void> {
    await ctx.reply(failure.status, { reason: failure.reason, headers: [...failure.headers] });
  }
}
