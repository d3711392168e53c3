import { z } from 'zod';

export const PAGE_SIZE = 50;

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100000).catch(1).default(1) });

export interface Page {
  number: number;
  limit: number;
  offset: number;
}

/** Reads ?page= leniently: anything unusable means page 1 rather than an error. */
export function pageFromQuery(query: unknown, size = PAGE_SIZE): Page {
  const { page } = pageQuery.parse(query ?? {});
  return { number: page, limit: size, offset: (page - 1) * size };
}

export interface PageInfo {
  number: number;
  totalPages: number;
  total: number;
  from: number;
  to: number;
  previous: number | null;
  next: number | null;
}

export function pageInfo(page: Page, total: number, shown: number): PageInfo {
  const totalPages = Math.max(1, Math.ceil(total / page.limit));
  return {
    number: page.number,
    totalPages,
    total,
    from: shown === 0 ? 0 : page.offset + 1,
    to: page.offset + shown,
    previous: page.number > 1 ? Math.min(page.number - 1, totalPages) : null,
    next: page.number < totalPages ? page.number + 1 : null,
  };
}
