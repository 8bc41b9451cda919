/**
 * Centrala's SIP stack (knows RFCs, not PBXes): messages, transports, transactions, digest auth and
 * the stack facade that ties them together. Other folders import only this barrel.
 */
export * from './message/index.js';
export * from './transport/index.js';
export * from './transaction/index.js';
export * from './auth/index.js';
export * from './stack.js';
export * from './dialog/index.js';
