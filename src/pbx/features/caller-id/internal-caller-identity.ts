import type { ExtensionCallSettings } from '../../ports.js';
import type { CallerInfo } from '../types.js';
import { nameAddr, sipUri } from './sip-text.js';

/** What the callee's phone shows for an internal caller. */
export interface InternalCallerIdentity {
  /** Display name: the caller's account name (SPEC 2.1, shown only inside the company). */
  readonly displayName: string;
  /**
   * User part of the From URI: the real extension number, or the substitute number/label set as
   * the caller's internal caller ID (SPEC 2.2). Unescaped.
   */
  readonly user: string;
}

/** SPEC 2.2 internal caller ID of extension `caller` on a call to a colleague. */
export function internalCallerIdentity(
  caller: Pick<ExtensionCallSettings, 'number' | 'name' | 'internalCallerId'>,
): InternalCallerIdentity {
  const id = caller.internalCallerId;
  return { displayName: caller.name, user: id.kind === 'custom' ? id.value : caller.number };
}

/** The From header value (without tag) the callee sees: `"Anna" <sip:101@acme.pbx.example>`. */
export function internalFromValue(identity: InternalCallerIdentity, sipDomain: string): string {
  return nameAddr(sipUri(identity.user, sipDomain), identity.displayName);
}

/** The {@link CallerInfo} for a call placed by extension `caller`. */
export function internalCallerInfo(
  caller: Pick<ExtensionCallSettings, 'number' | 'name' | 'internalCallerId'>,
): CallerInfo {
  const identity = internalCallerIdentity(caller);
  return { extension: caller.number, name: identity.displayName, display: identity.user };
}
