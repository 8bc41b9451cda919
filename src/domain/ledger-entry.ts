/** One charge written to a tenant's ledger when a quoted change is confirmed. */
export interface LedgerEntry {
  readonly id: string;
  readonly tenantId: string;
  readonly quoteId: string | null;
  /** The extension charged for; null once it is deleted (the number stays for the record). */
  readonly extensionId: string | null;
  readonly extensionNumber: string | null;
  /** The quote line code (`extension.monthly`, `voicemail.monthly`, `extension.activation` …). */
  readonly code: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly createdAt: Date;
}
