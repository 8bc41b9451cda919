/** Where a dialled number goes (SPEC 3 dial plan). Later issues add `*98` and external numbers here. */
export type DialRoute = { readonly kind: 'extension'; readonly number: string } | { readonly kind: 'unknown' };

/** Extension numbers: 2–6 digits (SPEC 2.1). */
const EXTENSION = /^\d{2,6}$/;

/** Routes a dialled number (the Request-URI user part). */
export function routeDialled(dialled: string): DialRoute {
  const number = dialled.trim();
  if (EXTENSION.test(number)) return { kind: 'extension', number };
  return { kind: 'unknown' };
}
