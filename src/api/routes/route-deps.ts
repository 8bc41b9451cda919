import type { Services } from '../../services/index.js';

/** What every route plugin receives: the use cases. */
export interface RouteDeps {
  readonly services: Services;
}
