/** A public number (DID) of a tenant, optionally routing inbound calls to one of its extensions. */
export interface PhoneNumber {
  readonly id: string;
  readonly tenantId: string;
  /** The number in E.164 (`+48221234567`). Unique on the platform. */
  readonly e164: string;
  /** The extension inbound calls go to, or null (not routed). */
  readonly extensionId: string | null;
  /** The number of that extension (read through a join), or null. */
  readonly extensionNumber: string | null;
  readonly createdAt: Date;
}

/** Input of adding a number: E.164 or national form of the tenant country, optional routing. */
export interface PhoneNumberCreateInput {
  number: string;
  /** Extension number to route to, or null/omitted for none. */
  extensionNumber?: string | null;
}
