export { SipStack, SERVER_NAME, type SipStackOptions, type RequestOptions } from './sip-stack.js';
export type { IncomingRequest, ReplyOptions, RequestHandler } from './incoming-request.js';
export { SipError } from './sip-error.js';
export { checkRequest, KNOWN_METHODS, SUPPORTED_SCHEMES, type StackCapabilities, type Rejection } from './request-checks.js';
export { applyReceived } from './via-received.js';
