import type { ExtensionView, ForwardTarget, Quote } from '../../domain/index.js';
import type { ExtensionWriteResult } from '../../services/index.js';
import { formatMoney, renderFields, renderTable } from '../render-table.js';

/** Every setting of an extension as label/value lines. */
export function describeExtension(e: ExtensionView): string {
  const g = e.general;
  const v = e.voicemail;
  const f = e.forwarding;
  const a = e.advanced;
  const callerId = g.callerId.kind === 'number' ? g.callerId.e164 : g.callerId.kind;
  const internal = g.internalCallerId.kind === 'custom' ? g.internalCallerId.value : 'extension number';
  return renderFields([
    ['Extension', `${e.number} (${e.id})`],
    ['Name', e.name],
    ['Caller ID', callerId],
    ['Internal caller ID', internal],
    ['SMS sender', g.smsSender ?? 'main number'],
    ['Ring time', `${g.ringTimeSeconds} s`],
    ['Call waiting', onOff(g.callWaiting)],
    ['Voicemail', `${onOff(v.enabled)}${v.pinSet ? ', PIN set' : ''}${v.email ? `, e-mail ${v.email}` : ''}`],
    ['Greeting', v.greeting],
    ['Forward: no answer', target(f.noAnswer)],
    ['Forward: busy', target(f.busy)],
    ['Forward: unavailable', target(f.unavailable)],
    ['Return after', f.returnAfterSeconds === null ? '-' : `${f.returnAfterSeconds} s`],
    ['Encryption', onOff(a.encryption)],
    ['Outgoing calls', `${a.internationalLevel}${a.allowPremium ? ' + premium' : ''}`],
    ['Max rate', a.maxRateMinor === null ? 'tenant default' : `${a.maxRateMinor} (minor units)/min`],
    ['Outgoing PIN', a.outgoingPinSet ? 'set' : 'none'],
    ['Monitoring', onOff(a.monitoring)],
    ['Fax', onOff(a.fax)],
  ]);
}

/** The result of a create/update: the extension, the password if one was set (shown once), the charges. */
export function describeWrite(result: ExtensionWriteResult): string {
  let text = describeExtension(result.extension);
  if (result.password !== null) text += `SIP password (shown once): ${result.password}\n`;
  for (const charge of result.charges) text += `Charged ${charge.code}: ${formatMoney(charge.amountMinor, charge.currency)}\n`;
  return text;
}

/** A quote as a table of lines and a total. */
export function describeQuote(quote: Pick<Quote, 'lines' | 'currency' | 'totalMinor'>): string {
  const table = renderTable(quote.lines, [
    { heading: 'CHARGE', cell: (l) => l.code },
    { heading: 'KIND', cell: (l) => (l.proration ? `${l.kind} (${l.proration.days}/${l.proration.daysInMonth} days)` : l.kind) },
    { heading: 'AMOUNT', cell: (l) => formatMoney(l.amountMinor, quote.currency) },
  ]);
  return `${table}Total: ${formatTotal(quote)}\n`;
}

/** The total of a quote with its currency. */
export function formatTotal(quote: Pick<Quote, 'currency' | 'totalMinor'>): string {
  return formatMoney(quote.totalMinor, quote.currency);
}

function onOff(value: boolean): string {
  return value ? 'on' : 'off';
}

function target(t: ForwardTarget): string {
  switch (t.kind) {
    case 'none':
      return '-';
    case 'voicemail':
      return 'voicemail';
    case 'extension':
      return `extension ${t.number}`;
    case 'external':
      return t.e164;
  }
}
