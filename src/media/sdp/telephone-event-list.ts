/**
 * The event list of a telephone-event fmtp (RFC 4733 §7.1.1), e.g. "0-15,66,70-72". Returns the
 * set of event codes; malformed items are skipped.
 */
export function parseEventList(text: string): Set<number> {
  const events = new Set<number>();
  for (const item of text.split(',')) {
    const m = /^\s*(\d{1,3})(?:-(\d{1,3}))?\s*$/.exec(item);
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let e = from; e <= Math.min(to, 255); e++) events.add(e);
  }
  return events;
}

/** Formats events up to `max` as a compact range list ("0-15"); '' when none remain. */
export function formatEventList(events: ReadonlySet<number>, max = 255): string {
  const sorted = [...events].filter((e) => e <= max).sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    const start = sorted[i] ?? 0;
    let end = start;
    while (sorted[i + 1] === end + 1) {
      end++;
      i++;
    }
    ranges.push(start === end ? `${start}` : `${start}-${end}`);
    i++;
  }
  return ranges.join(',');
}
