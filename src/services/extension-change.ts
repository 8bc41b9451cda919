import {
  DEFAULT_PRICE_LIST,
  DomainError,
  exposureOf,
  extensionSettings,
  ha1Md5,
  ha1Sha256,
  hashSecret,
  quote,
  resolveExtensionCreate,
  resolveExtensionPatch,
  type Extension,
  type ExtensionCreateInput,
  type ExtensionPatch,
  type ExtensionRuleContext,
  type Feature,
  type ExtensionSecrets,
  type PriceList,
  type PriceQuote,
  type QuoteExposure,
  type ResolvedExtensionChange,
  type Tenant,
} from '../domain/index.js';
import { extensionRepository, numberRepository, priceListRepository, type Executor } from '../store/index.js';
import { canonicalHash } from './canonical-hash.js';

/** A validated, priced extension change, ready to be quoted or confirmed. */
export interface PreparedChange {
  readonly kind: 'create' | 'update';
  readonly tenant: Tenant;
  readonly current: Extension | undefined;
  readonly resolved: ResolvedExtensionChange;
  readonly priced: PriceQuote;
  readonly exposure: QuoteExposure;
  /** SHA-256 of the normalised change (before, after, which secrets change) and the price list. */
  readonly payloadHash: string;
}

/** The rule context of an extension of `tenant` (`selfId` excluded from the other numbers). */
export async function ruleContext(
  db: Executor,
  tenant: Tenant,
  unavailableFeatures: ReadonlySet<Feature>,
  selfId?: string,
): Promise<ExtensionRuleContext & { others: Extension[] }> {
  const all = await extensionRepository.listAll(db, tenant.id);
  const others = all.filter((e) => e.id !== selfId);
  return {
    country: tenant.country,
    ownedNumbers: await numberRepository.listE164(db, tenant.id),
    otherExtensionNumbers: new Set(others.map((e) => e.number)),
    unavailableFeatures,
    others,
  };
}

/** Numbers of the extensions among `others` that forward any condition to extension `number`. */
export function forwardersTo(others: readonly Extension[], number: string): string[] {
  return others
    .filter((e) => [e.forwarding.noAnswer, e.forwarding.busy, e.forwarding.unavailable].some((t) => t.kind === 'extension' && t.number === number))
    .map((e) => e.number);
}

/** The EXTENSION_IN_USE DomainError naming the extensions that forward to `number`. */
export function extensionInUse(number: string, forwarders: string[], field?: string): DomainError {
  return new DomainError(
    'EXTENSION_IN_USE',
    {
      pl: `Na numer ${number} przekierowują konta: ${forwarders.join(', ')}. Najpierw zmień ich przekierowania.`,
      en: `Extensions ${forwarders.join(', ')} forward to ${number}; change their forwarding first.`,
    },
    { ...(field ? { field } : {}), details: { forwardedFrom: forwarders } },
  );
}

/** The price list in force. */
export async function currentPriceList(db: Executor): Promise<PriceList> {
  return (await priceListRepository.current(db)) ?? DEFAULT_PRICE_LIST;
}

/** Validates and prices a new extension. */
export async function prepareCreate(
  db: Executor,
  tenant: Tenant,
  input: ExtensionCreateInput,
  now: Date,
  unavailableFeatures: ReadonlySet<Feature>,
): Promise<PreparedChange> {
  const ctx = await ruleContext(db, tenant, unavailableFeatures);
  const resolved = resolveExtensionCreate(input, ctx);
  return price(db, 'create', tenant, undefined, resolved, now, input.password !== undefined, unavailableFeatures);
}

/** Validates and prices a change of `current`; a renumbered extension must not be a forwarding target. */
export async function prepareUpdate(
  db: Executor,
  tenant: Tenant,
  current: Extension,
  patch: ExtensionPatch,
  now: Date,
  unavailableFeatures: ReadonlySet<Feature>,
): Promise<PreparedChange> {
  const ctx = await ruleContext(db, tenant, unavailableFeatures, current.id);
  const resolved = resolveExtensionPatch(current, patch, ctx);
  if (resolved.settings.number !== current.number) {
    const forwarders = forwardersTo(ctx.others, current.number);
    if (forwarders.length > 0) throw extensionInUse(current.number, forwarders, 'number');
  }
  return price(db, 'update', tenant, current, resolved, now, patch.password !== undefined, unavailableFeatures);
}

async function price(
  db: Executor,
  kind: 'create' | 'update',
  tenant: Tenant,
  current: Extension | undefined,
  resolved: ResolvedExtensionChange,
  now: Date,
  passwordGiven: boolean,
  unavailableFeatures: ReadonlySet<Feature>,
): Promise<PreparedChange> {
  const priceList = await currentPriceList(db);
  const priced = quote(current, resolved.settings, priceList, now, unavailableFeatures);
  const secretChange = (pin: string | null | undefined): string => (pin === undefined ? 'keep' : pin === null ? 'clear' : 'set');
  const payloadHash = canonicalHash({
    kind,
    tenantId: tenant.id,
    extensionId: current?.id ?? null,
    before: current ? extensionSettings(current) : null,
    after: resolved.settings,
    secrets: {
      password: passwordGiven ? 'set' : resolved.password !== undefined ? 'generate' : 'keep',
      voicemailPin: secretChange(resolved.voicemailPin),
      outgoingPin: secretChange(resolved.outgoingPin),
    },
    priceList,
  });
  return { kind, tenant, current, resolved, priced, exposure: exposureOf(resolved.settings, tenant.defaultMaxRate), payloadHash };
}

/** The secrets after a change: new HA1s for a new password, scrypt hashes for new PINs, the rest kept. */
export async function secretsAfter(prepared: PreparedChange): Promise<ExtensionSecrets> {
  const { resolved, current, tenant } = prepared;
  const number = resolved.settings.number;
  const pinHash = async (pin: string | null | undefined, kept: string | null): Promise<string | null> =>
    pin === undefined ? kept : pin === null ? null : hashSecret(pin);
  if (resolved.password === undefined && !current) throw new Error('a new extension needs a password');
  return {
    ha1Md5: resolved.password !== undefined ? ha1Md5(number, tenant.sipDomain, resolved.password) : (current?.secrets.ha1Md5 ?? ''),
    ha1Sha256: resolved.password !== undefined ? ha1Sha256(number, tenant.sipDomain, resolved.password) : (current?.secrets.ha1Sha256 ?? ''),
    voicemailPinHash: await pinHash(resolved.voicemailPin, current?.secrets.voicemailPinHash ?? null),
    outgoingPinHash: await pinHash(resolved.outgoingPin, current?.secrets.outgoingPinHash ?? null),
  };
}
