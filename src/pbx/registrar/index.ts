export { Registrar, tenantRealm, type RegistrarOptions } from './registrar.js';
export { LocationService, type LocationEvents } from './location-service.js';
export { FlowTracker, type FlowKeeper } from './flow-tracker.js';
export { BlockKeeper, BLOCK_RESYNC_MS, type BlockKeeperOptions } from './block-keeper.js';
export { canonicalAor, isBindingFlow, registeredFlowOf } from './registered-flow.js';
export { applyRegister, type RegisterUpdate, type RegisterOutcome, type RequestedContact, type UriEquals } from './apply-register.js';
export { DEFAULT_REGISTRAR_POLICY, type RegistrarPolicy } from './registrar-policy.js';
export {
  challengeAlgorithms,
  type RegistrarAuthenticator,
  type AuthDecision,
  type AuthCheckInput,
  type DigestAlgorithmName,
} from './registrar-authenticator.js';
export { createSipRegistrarAuthenticator } from './sip-registrar-authenticator.js';
