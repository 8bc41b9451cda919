/**
 * Centrala's SIP message model: URIs, addresses, Via, header lists, requests and responses, the
 * parser (RFC 3261 grammar, RFC 4475 tolerance), the serializer and the stream framer.
 */
export type { Params, SipUriValue, NameAddrValue, ViaValue, CSeqValue, HeaderField } from './types.js';
export { SipUri, type SipUriInit } from './uri.js';
export { NameAddr, type NameAddrInit } from './name-addr.js';
export { Via, type ViaInit } from './via.js';
export { HeaderList, type HeaderInput } from './header-list.js';
export { headerKey, canonicalHeaderName, isListHeader, splitHeaderList } from './compact-forms.js';
export { parseCSeq, formatCSeq, MAX_CSEQ } from './cseq.js';
export { parseContentLength, parseMaxForwards, parseDeltaSeconds, MAX_DELTA_SECONDS } from './numeric-headers.js';
export { parseMediaType, type MediaType } from './media-type.js';
export { paramText, toParamValue } from './params.js';
export { quote, unquote, isToken } from './tokenizer.js';
export { SipMessage, type BodyInput } from './sip-message.js';
export { SipRequest, type SipRequestInit } from './sip-request.js';
export { SipResponse, type SipResponseInit } from './sip-response.js';
export { SipParseError, type ParseResult } from './parse-error.js';
export { parseMessage, MAX_MESSAGE_SIZE, UNPARSABLE_REQUEST_URI } from './parse-message.js';
export { serializeMessage } from './serialize-message.js';
export {
  StreamFramer,
  type FramerItem,
  type FramerError,
  type KeepAliveKind,
  type StreamFramerOptions,
} from './stream-framer.js';
export { reasonPhrase, REASON_PHRASES } from './status-codes.js';
export { createResponse, type CreateResponseOptions } from './create-response.js';
export { parseAuthHeader, formatAuthHeader, type AuthHeader, type FormatAuthOptions } from './auth-params.js';
