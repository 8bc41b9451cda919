export {
  internalCallerIdentity,
  internalFromValue,
  internalCallerInfo,
  type InternalCallerIdentity,
} from './internal-caller-identity.js';
export { escapeUser, escapeParamValue, quoteDisplayName, sipUri, nameAddr } from './sip-text.js';
