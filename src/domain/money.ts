/** An amount in integer minor units (grosz, cent) of an ISO 4217 currency. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}
