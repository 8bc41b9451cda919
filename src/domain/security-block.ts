/** What a brute-force block covers (docs/registrar.md, "Brute-force protection"). */
export type SecurityBlockScope = 'source' | 'source-extension' | 'extension';

/** Every scope, in the order the docs explain them. */
export const SECURITY_BLOCK_SCOPES: readonly SecurityBlockScope[] = ['source', 'source-extension', 'extension'];

/**
 * A temporary block of SIP authentication after repeated failures. `source` is the address (IPv4, or an IPv6
 * /64) blocked, or for an `extension` block the one whose failure started it; `realm` and `username` are the
 * tenant SIP domain and extension blocked, or for a `source` block the last ones tried.
 */
export interface SecurityBlock {
  readonly id: string;
  readonly scope: SecurityBlockScope;
  readonly source: string;
  readonly realm: string;
  readonly username: string;
  /** The tenant whose SIP domain `realm` is; null for a realm no tenant has. */
  readonly tenantId: string | null;
  /** Failures in the window that started the block. */
  readonly failures: number;
  readonly since: Date;
  readonly until: Date;
}
