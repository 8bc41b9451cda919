/** One column of a human-readable table: its heading and how to get the cell text from a row. */
export interface Column<T> {
  readonly heading: string;
  readonly cell: (row: T) => string;
}

/** Renders rows as a plain-text table with a heading line, columns padded to their widest cell. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => c.cell(row)));
  const widths = columns.map((c, i) => Math.max(c.heading.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.heading)), ...cells.map(line)].join('\n') + '\n';
}

/** Renders label/value pairs, labels padded to the widest one. */
export function renderFields(fields: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(0, ...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${`${label}:`.padEnd(width + 1)} ${value}`).join('\n') + '\n';
}

/** An amount of minor units as a decimal with its currency (`1234, PLN` → `12.34 PLN`). */
export function formatMoney(amountMinor: number, currency: string): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    digits = 2;
  }
  return `${(amountMinor / 10 ** digits).toFixed(digits)} ${currency}`;
}
