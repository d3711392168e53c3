import type { Kysely } from 'kysely';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Database } from '../db/schema';
import { findSignedInUser, verifyCredentials, type SignedInUser } from '../users/service';
import { userReadWithSession } from '../web/session-store';

/**
 * Wires passport to the users feature: the session holds only the user id, and every request
 * reloads the user (with the session itself, in one statement), so a deactivated user is signed
 * out on their very next request.
 */
/** `today`: the organisation's date now (lib/viewer.ts), for the user's navigation counts. */
export function createPassport(db: Kysely<Database>, today: () => string): passport.Authenticator {
  // One authenticator per app instance (tests build several apps on several databases).
  const authenticator = new passport.Passport();
  authenticator.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      verifyCredentials(db, email, password)
        .then(async (userId) => {
          if (userId === null) return done(null, false);
          const user = await findSignedInUser(db, userId, today());
          return done(null, user ?? false);
        })
        .catch(done);
    }),
  );
  authenticator.serializeUser((user, done) => done(null, String(user.id)));
  authenticator.deserializeUser((req: object, id: string, done: (error: unknown, user?: Express.User | false) => void) => {
    const userId = Number(id);
    if (!Number.isSafeInteger(userId)) return done(null, false);
    // Usually read in the same statement as the session (src/web/session-store.ts).
    const alreadyRead = userReadWithSession<SignedInUser>(req, userId);
    if (alreadyRead !== null) return done(null, alreadyRead ?? false);
    findSignedInUser(db, userId, today())
      .then((user) => done(null, user ?? false))
      .catch(done);
  });
  return authenticator;
}
