/** The SIP stack facade (see stack/sip-stack.ts). */
export * from './stack/index.js';
