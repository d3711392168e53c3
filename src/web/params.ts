import type { Request } from 'express';
import type { z } from 'zod';
import { notFound } from '../lib/errors';

/** The URL's parameters parsed by the schema; a malformed id names no page, so it answers 404. */
export function paramsOr404<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, req: Request): T {
  const params = schema.safeParse(req.params);
  if (!params.success) throw notFound();
  return params.data;
}
