import type { PriceList } from '../../domain/index.js';
import { toDbTime, type Executor } from '../columns.js';
import type { PriceListRow } from '../schema.js';

/** The one mapping of a `price_list` row to a {@link PriceList}. */
export function priceListFromRow(row: PriceListRow): PriceList {
  return {
    currency: row.currency,
    extensionMonthlyMinor: row.extension_monthly_minor,
    optionMonthlyMinor: {
      voicemail: row.voicemail_monthly_minor,
      monitoring: row.monitoring_monthly_minor,
      fax: row.fax_monthly_minor,
      encryption: row.encryption_monthly_minor,
    },
    activationMinor: row.activation_minor,
  };
}

/** The one mapping of a {@link PriceList} version to a `price_list` row. */
export function priceListToRow(priceList: PriceList, version: number, createdAt: Date): PriceListRow {
  return {
    version,
    currency: priceList.currency,
    extension_monthly_minor: priceList.extensionMonthlyMinor,
    voicemail_monthly_minor: priceList.optionMonthlyMinor.voicemail,
    monitoring_monthly_minor: priceList.optionMonthlyMinor.monitoring,
    fax_monthly_minor: priceList.optionMonthlyMinor.fax,
    encryption_monthly_minor: priceList.optionMonthlyMinor.encryption,
    activation_minor: priceList.activationMinor,
    created_at: toDbTime(createdAt),
  };
}

/** Price list versions: append-only, the highest version is in force. */
export const priceListRepository = {
  /** The price list in force, or undefined when none was ever set. */
  async current(db: Executor): Promise<PriceList | undefined> {
    const row = await db.selectFrom('price_list').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
    return row && priceListFromRow(row);
  },

  /** Stores a new version (one above the highest) and returns its number. */
  async append(db: Executor, priceList: PriceList, createdAt: Date): Promise<number> {
    const top = await db.selectFrom('price_list').select('version').orderBy('version', 'desc').limit(1).executeTakeFirst();
    const version = (top?.version ?? 0) + 1;
    await db.insertInto('price_list').values(priceListToRow(priceList, version, createdAt)).execute();
    return version;
  },
};
