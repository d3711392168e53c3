import { z } from 'zod';

export const UserIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });
export type UserIdParam = z.infer<typeof UserIdParam>;
