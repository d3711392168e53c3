import type { Services } from '../services';
import { get, MANAGERS_AND_ADMINS, post, type Route } from '../web/routes';
import { downloadSubjectAccess, showSubjectAccess } from './controller';

export const subjectAccessRoutes: Route<Services>[] = [
  get('/participants/:id/subject-access', MANAGERS_AND_ADMINS, showSubjectAccess),
  // Step-up: the second factor again when the last one is old (src/mfa/step-up.ts).
  post('/participants/:id/subject-access', MANAGERS_AND_ADMINS, downloadSubjectAccess, { stepUp: true }),
];
