import type { SignedInUser } from './users/queries';

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SignedInUser {}
  }
}

declare module 'express-session' {
  interface SessionData {
    /** When the user signed in (ms since epoch): bounds the session's absolute lifetime. */
    signedInAt?: number;
    /** Language chosen before signing in. */
    locale?: 'nl' | 'en';
  }
}
