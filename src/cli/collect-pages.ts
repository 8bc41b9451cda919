import type { Page, PageRequest } from '../domain/index.js';

/** Reads every page of a list use case (the CLI prints whole lists). */
export async function collectPages<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit: 200, ...(cursor !== undefined ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}
