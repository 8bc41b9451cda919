import type { Attribute, Bandwidth, Connection, MediaDescription, SessionDescription } from './session-description.js';

const CRLF = '\r\n';

/**
 * Serialises a session description in the line order RFC 4566 §5 prescribes, with CRLF line ends.
 * `serializeSdp(parseSdp(x))` gives back x for any x written in that order with CRLF.
 */
export function serializeSdp(sdp: SessionDescription): string {
  const lines: string[] = [];
  const o = sdp.origin;
  lines.push(`v=${sdp.version}`);
  lines.push(`o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`);
  lines.push(`s=${sdp.sessionName}`);
  if (sdp.information !== undefined) lines.push(`i=${sdp.information}`);
  if (sdp.uri !== undefined) lines.push(`u=${sdp.uri}`);
  for (const e of sdp.emails) lines.push(`e=${e}`);
  for (const p of sdp.phones) lines.push(`p=${p}`);
  if (sdp.connection) lines.push(connectionLine(sdp.connection));
  for (const b of sdp.bandwidths) lines.push(bandwidthLine(b));
  for (const t of sdp.timings) {
    lines.push(`t=${t.start} ${t.stop}`);
    for (const r of t.repeats) lines.push(`r=${r}`);
  }
  if (sdp.timeZones !== undefined) lines.push(`z=${sdp.timeZones}`);
  if (sdp.encryptionKey !== undefined) lines.push(`k=${sdp.encryptionKey}`);
  for (const a of sdp.attributes) lines.push(attributeLine(a));
  for (const m of sdp.media) lines.push(...mediaLines(m));
  return lines.join(CRLF) + CRLF;
}

function mediaLines(m: MediaDescription): string[] {
  const port = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
  const lines = [[`m=${m.type}`, port, m.protocol, ...m.formats].join(' ')];
  if (m.information !== undefined) lines.push(`i=${m.information}`);
  if (m.connection) lines.push(connectionLine(m.connection));
  for (const b of m.bandwidths) lines.push(bandwidthLine(b));
  if (m.encryptionKey !== undefined) lines.push(`k=${m.encryptionKey}`);
  for (const a of m.attributes) lines.push(attributeLine(a));
  return lines;
}

function connectionLine(c: Connection): string {
  return `c=${c.netType} ${c.addrType} ${c.address}`;
}

function bandwidthLine(b: Bandwidth): string {
  return `b=${b.type}:${b.value}`;
}

function attributeLine(a: Attribute): string {
  return a.value === undefined ? `a=${a.name}` : `a=${a.name}:${a.value}`;
}
