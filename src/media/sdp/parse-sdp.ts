import { type ParseResult, parseError, parsed } from '../parse-result.js';
import type {
  Attribute,
  Bandwidth,
  Connection,
  MediaDescription,
  Origin,
  SessionDescription,
  Timing,
} from './session-description.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

/** RFC 4566 §5: the type letters of the session section. */
const SESSION_TYPES = new Set(['v', 'o', 's', 'i', 'u', 'e', 'p', 'c', 'b', 't', 'r', 'z', 'k', 'a', 'm']);
/** RFC 4566 §5: the type letters allowed inside a media section. */
const MEDIA_TYPES = new Set(['m', 'i', 'c', 'b', 'k', 'a']);

/**
 * Parses an SDP body (RFC 4566). Lines may end in CRLF or, as §5 asks parsers to accept, bare LF.
 * The result names the first bad line.
 */
export function parseSdp(text: string | Uint8Array): ParseResult<SessionDescription> {
  const source = typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
  const lines = source.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return parseError('empty session description');

  const session: Mutable<Omit<SessionDescription, 'origin' | 'version' | 'sessionName'>> & {
    version?: number;
    origin?: Origin;
    sessionName?: string;
  } = {
    information: undefined,
    uri: undefined,
    emails: [],
    phones: [],
    connection: undefined,
    bandwidths: [],
    timings: [],
    timeZones: undefined,
    encryptionKey: undefined,
    attributes: [],
    media: [],
  };
  let media: Mutable<MediaDescription> | undefined;
  const medias: MediaDescription[] = [];

  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] ?? '';
    const fail = (why: string): ParseResult<SessionDescription> => parseError(`line ${n + 1} (${line.slice(0, 40)}): ${why}`);
    // RFC 4566 §5: "<type>=<value> where <type> MUST be exactly one case-significant character".
    if (line.length < 2 || line[1] !== '=') return fail('expected <type>=<value>');
    const type = line[0] ?? '';
    const value = line.slice(2);
    if (n === 0 && type !== 'v') return fail('the first line must be v=');
    // RFC 4566 §5: "an SDP parser MUST completely ignore any session description that contains a type letter that it does not understand".
    if (!(media ? MEDIA_TYPES : SESSION_TYPES).has(type)) {
      return fail(media ? `type ${type}= is not allowed in a media section` : `unknown type ${type}=`);
    }
    if (media) {
      switch (type) {
        case 'm': {
          medias.push(media);
          const m = parseMediaLine(value);
          if (!m) return fail('malformed m= line');
          media = m;
          break;
        }
        case 'i':
          media.information = value;
          break;
        case 'c': {
          const c = parseConnection(value);
          if (!c) return fail('malformed c= line');
          media.connection = c;
          break;
        }
        case 'b': {
          const b = parseBandwidth(value);
          if (!b) return fail('malformed b= line');
          media.bandwidths.push(b);
          break;
        }
        case 'k':
          media.encryptionKey = value;
          break;
        case 'a':
          media.attributes.push(parseAttribute(value));
          break;
      }
      continue;
    }
    switch (type) {
      case 'v':
        if (value !== '0') return fail(`unsupported version ${value}`);
        session.version = 0;
        break;
      case 'o': {
        const o = parseOrigin(value);
        if (!o) return fail('malformed o= line');
        session.origin = o;
        break;
      }
      case 's':
        session.sessionName = value;
        break;
      case 'i':
        session.information = value;
        break;
      case 'u':
        session.uri = value;
        break;
      case 'e':
        session.emails.push(value);
        break;
      case 'p':
        session.phones.push(value);
        break;
      case 'c': {
        const c = parseConnection(value);
        if (!c) return fail('malformed c= line');
        session.connection = c;
        break;
      }
      case 'b': {
        const b = parseBandwidth(value);
        if (!b) return fail('malformed b= line');
        session.bandwidths.push(b);
        break;
      }
      case 't': {
        const t = /^(\d+) (\d+)$/.exec(value);
        if (!t) return fail('malformed t= line');
        session.timings.push({ start: Number(t[1]), stop: Number(t[2]), repeats: [] });
        break;
      }
      case 'r': {
        const last = session.timings[session.timings.length - 1];
        if (!last) return fail('r= without a preceding t=');
        session.timings[session.timings.length - 1] = { ...last, repeats: [...last.repeats, value] } satisfies Timing;
        break;
      }
      case 'z':
        session.timeZones = value;
        break;
      case 'k':
        session.encryptionKey = value;
        break;
      case 'a':
        session.attributes.push(parseAttribute(value));
        break;
      case 'm': {
        const m = parseMediaLine(value);
        if (!m) return fail('malformed m= line');
        media = m;
        break;
      }
    }
  }
  if (media) medias.push(media);
  const { version, origin, sessionName } = session;
  if (version === undefined) return parseError('missing v= line');
  if (!origin) return parseError('missing o= line');
  if (sessionName === undefined) return parseError('missing s= line');
  return parsed({ ...session, version, origin, sessionName, media: medias });
}

function parseOrigin(value: string): Origin | undefined {
  // o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
  const parts = value.split(' ');
  if (parts.length !== 6) return undefined;
  const [username = '', sessionId = '', version = '', netType = '', addrType = '', address = ''] = parts;
  if (!/^\d+$/.test(version) || !username || !sessionId || !netType || !addrType || !address) return undefined;
  return { username, sessionId, sessionVersion: BigInt(version), netType, addrType, address };
}

function parseConnection(value: string): Connection | undefined {
  // c=<nettype> <addrtype> <connection-address>
  const parts = value.split(' ');
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined;
  const [netType = '', addrType = '', address = ''] = parts;
  return { netType, addrType, address };
}

function parseBandwidth(value: string): Bandwidth | undefined {
  // b=<bwtype>:<bandwidth>
  const m = /^([\w.-]+):(\d+)$/.exec(value);
  return m ? { type: m[1] ?? '', value: Number(m[2]) } : undefined;
}

function parseAttribute(value: string): Attribute {
  // a=<attribute> | a=<attribute>:<value>
  const colon = value.indexOf(':');
  return colon === -1 ? { name: value, value: undefined } : { name: value.slice(0, colon), value: value.slice(colon + 1) };
}

function parseMediaLine(value: string): Mutable<MediaDescription> | undefined {
  // m=<media> <port>[/<number of ports>] <proto> <fmt> ...
  const parts = value.split(' ');
  if (parts.length < 3) return undefined;
  const [type = '', portText = '', protocol = '', ...formats] = parts;
  const port = /^(\d+)(?:\/(\d+))?$/.exec(portText);
  if (!type || !port || !protocol || formats.some((f) => f === '')) return undefined;
  const portNumber = Number(port[1]);
  if (portNumber > 65535) return undefined;
  return {
    type,
    port: portNumber,
    portCount: port[2] === undefined ? undefined : Number(port[2]),
    protocol,
    formats,
    information: undefined,
    connection: undefined,
    bandwidths: [],
    encryptionKey: undefined,
    attributes: [],
  };
}
