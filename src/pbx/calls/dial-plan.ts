/** Where a dialled number goes (SPEC 3 dial plan). Later issues add `*98` and external numbers here. */
export type DialRoute =
  | { readonly kind: 'extension'; readonly number: string }
  | { readonly kind: 'featureCode'; readonly code: string }
  | { readonly kind: 'unknown' };

/** Extension numbers: 2–6 digits (SPEC 2.1). */
const EXTENSION = /^\d{2,6}$/;

/** Feature codes: a star and two digits (`*43` echo test, `*44` speaking clock). */
const FEATURE_CODE = /^\*\d{2}$/;

/** Routes a dialled number (the Request-URI user part). */
export function routeDialled(dialled: string): DialRoute {
  const number = dialled.trim();
  if (EXTENSION.test(number)) return { kind: 'extension', number };
  if (FEATURE_CODE.test(number)) return { kind: 'featureCode', code: number };
  return { kind: 'unknown' };
}
