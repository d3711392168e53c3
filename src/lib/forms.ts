import type { z } from 'zod';

/**
 * Result of checking a submitted form. `values` holds exactly what was typed (as strings) so a
 * page can show it again; on failure `errors` maps each field to an i18n message key.
 */
export type FormResult<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; values: Record<string, string>; errors: Record<string, string> };

/** Form values as strings; anything else a crafted request sends is dropped. */
export function submittedValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (!body || typeof body !== 'object') return values;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') values[key] = value;
  }
  return values;
}

/**
 * Parses a form with its zod schema. Schemas use i18n keys as messages (e.g.
 * 'validation.required'); unknown fields are stripped by zod's default object behaviour.
 */
export function parseForm<S extends z.ZodTypeAny>(schema: S, body: unknown): FormResult<z.output<S>> {
  const values = submittedValues(body);
  // ZodTypeAny's safeParse says `any`; the schema's own output type is what it returns.
  const result = schema.safeParse(values) as z.SafeParseReturnType<unknown, z.output<S>>;
  if (result.success) return { ok: true, data: result.data, values };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return { ok: false, values, errors };
}
