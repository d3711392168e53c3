import { z } from 'zod';

/** A checkbox is sent only when ticked; anything it sends then means yes. */
const checkbox = () =>
  z
    .string()
    .optional()
    .transform((value) => value !== undefined);

/** /account's mail section: a box per digest (only those of the person's role count). */
export const MailPreferencesForm = z.object({ daily: checkbox(), weekly: checkbox() });
export type MailPreferencesForm = z.infer<typeof MailPreferencesForm>;

/** An unsubscribe link's token, from the query (the link) or the form (the confirmation page's button). */
export const UnsubscribeToken = z.string().max(200).catch('');
