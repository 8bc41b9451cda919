import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { PAID_OPTIONS, type PriceList } from '../../domain/index.js';
import { CliError } from '../cli-error.js';
import { printJson, type CliIo } from '../cli-io.js';
import { formatMoney, renderTable } from '../render-table.js';
import { addSettingOptions, configFromOptions } from '../setting-options.js';
import { withServices } from '../with-services.js';

interface SetOptions {
  file?: string;
  currency?: string;
  extensionMonthly?: string;
  activation?: string;
  option?: string[];
  json?: boolean;
}

/** `centrala price-list show|set`. */
export function priceListCommand(io: CliIo): Command {
  const priceList = new Command('price-list').description("the operator's price list (fees in minor units)");

  addSettingOptions(
    priceList.command('show').description('show the price list in force').option('--json', 'print it as JSON'),
    'common',
  ).action(async (options: { json?: boolean }, command: Command) => {
    const config = configFromOptions(command, io);
    const current = await withServices(config, (services) => services.priceList.get());
    if (options.json) printJson(io, current);
    else io.stdout(describePriceList(current));
  });

  addSettingOptions(
    priceList
      .command('set')
      .description('replace the price list: from a JSON file and/or single fees (the rest stays as it is)')
      .option('--file <path>', 'JSON file with the whole price list (as printed by `price-list show --json`)')
      .option('--currency <code>', 'ISO 4217 currency, e.g. PLN')
      .option('--extension-monthly <minor>', 'monthly fee of one extension, in minor units')
      .option('--activation <minor>', 'one-time fee of a new extension, in minor units')
      .option('--option <name=minor>', `monthly fee of an option (${PAID_OPTIONS.join(', ')}; only 0 for one not built yet); repeatable`, collect, [])
      .option('--json', 'print the new price list as JSON'),
    'common',
  ).action(async (options: SetOptions, command: Command) => {
    const config = configFromOptions(command, io);
    const saved = await withServices(config, async (services) => {
      const base = options.file !== undefined ? readPriceListFile(resolve(io.cwd, options.file)) : await services.priceList.get();
      return services.priceList.set(applyFees(base, options));
    });
    if (options.json) printJson(io, saved);
    else io.stdout(describePriceList(saved));
  });
  return priceList;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function readPriceListFile(path: string): PriceList {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read --file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text) as PriceList;
  } catch {
    throw new CliError(`--file ${path} is not valid JSON`);
  }
}

/** Overlays the single-fee flags on a price list; the service validates the result. */
function applyFees(base: PriceList, options: SetOptions): PriceList {
  const options_ = { ...base.optionMonthlyMinor };
  for (const pair of options.option ?? []) {
    const [name, value] = pair.split('=', 2);
    const option = PAID_OPTIONS.find((o) => o === name);
    if (option === undefined || value === undefined) {
      throw new CliError(`invalid --option "${pair}": expected name=minor with name one of ${PAID_OPTIONS.join(', ')}`, 2);
    }
    options_[option] = minor('--option', value);
  }
  return {
    currency: options.currency ?? base.currency,
    extensionMonthlyMinor: options.extensionMonthly !== undefined ? minor('--extension-monthly', options.extensionMonthly) : base.extensionMonthlyMinor,
    optionMonthlyMinor: options_,
    activationMinor: options.activation !== undefined ? minor('--activation', options.activation) : base.activationMinor,
  };
}

function minor(flag: string, value: string): number {
  if (!/^\d{1,12}$/.test(value)) throw new CliError(`invalid ${flag} "${value}": must be a whole number of minor units`, 2);
  return Number(value);
}

function describePriceList(p: PriceList): string {
  const rows: Array<[string, string, number]> = [
    ['extension', 'monthly', p.extensionMonthlyMinor],
    ['extension', 'one-time (activation)', p.activationMinor],
    ...PAID_OPTIONS.map((o): [string, string, number] => [o, 'monthly', p.optionMonthlyMinor[o]]),
  ];
  return renderTable(rows, [
    { heading: 'ITEM', cell: (r) => r[0] },
    { heading: 'KIND', cell: (r) => r[1] },
    { heading: 'FEE', cell: (r) => formatMoney(r[2], p.currency) },
  ]);
}
