import { z } from 'zod';

/**
 * The file name in a feed address, `<token>.ics`: anything else names no feed (and is answered like
 * an unknown one, without a database lookup).
 */
export const FeedFileParam = z.object({ feed: z.string().regex(/^[A-Za-z0-9_-]{43}\.ics$/) });
export type FeedFileParam = z.infer<typeof FeedFileParam>;
