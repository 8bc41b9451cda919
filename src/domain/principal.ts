/** Who is calling a use case: the platform operator or one tenant's admin/token. */
export type Principal = { readonly kind: 'operator' } | { readonly kind: 'tenant'; readonly tenantId: string };

/** An API token's public record (the token itself is only shown at creation). */
export interface ApiToken {
  readonly id: string;
  readonly kind: 'operator' | 'tenant';
  readonly tenantId: string | null;
  readonly label: string;
  readonly createdAt: Date;
}

/** A customer admin who logs in to the panel. */
export interface Admin {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly createdAt: Date;
}

/** A panel session: `id` goes into the cookie, `csrfToken` must accompany every change. */
export interface AdminSession {
  readonly id: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
  readonly adminId: string;
  readonly tenantId: string;
}
