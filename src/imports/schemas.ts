import { z } from 'zod';
import { IMPORT_KINDS } from '../db/schema';

export const ImportKindField = z.enum(IMPORT_KINDS);

/** The upload form's fields besides the file (read from the multipart body). */
export const UploadFields = z.object({ kind: ImportKindField });
export type UploadFields = z.infer<typeof UploadFields>;

/** /admin/import/templates/:file, e.g. participants.xlsx */
export const TemplateParam = z.object({
  file: z
    .string()
    .regex(/^(participants|employers|placements)\.(csv|xlsx)$/)
    .transform((value) => {
      const [kind, format] = value.split('.') as [z.infer<typeof ImportKindField>, 'csv' | 'xlsx'];
      return { kind, format };
    }),
});

export const BatchIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });

/** The mapping form: `col<index>` → field key or 'ignore'; anything else is dropped. */
export function mappingChoicesOf(body: unknown): Record<string, string> {
  const choices: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return choices;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const index = /^col(\d{1,4})$/.exec(name)?.[1];
    if (index !== undefined && typeof value === 'string' && value !== '') choices[index] = value;
  }
  return choices;
}
