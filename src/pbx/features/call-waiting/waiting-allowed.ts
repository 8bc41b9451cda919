import type { ExtensionCallSettings } from '../../ports.js';

/**
 * Whether a second call may ring an extension that is on a call: call waiting on (SPEC 2.2), and
 * not a fax extension, which suppresses call waiting during calls (SPEC 2.5).
 */
export function waitingAllowed(target: ExtensionCallSettings): boolean {
  return target.callWaiting && !target.fax;
}
