import { accountRoutes } from './account/routes';
import { adminRoutes } from './admin/routes';
import { retentionRoutes } from './retention/routes';
import { auditRoutes } from './audit/routes';
import { authRoutes } from './auth/routes';
import { calendarRoutes } from './calendar/routes';
import { caseloadRoutes } from './caseloads/routes';
import { commissionerRoutes } from './commissioners/routes';
import { contactRoutes } from './contacts/routes';
import { dashboardRoutes } from './dashboard/routes';
import { employerRoutes } from './employers/routes';
import { directoryRoutes } from './directory/routes';
import { handoverRoutes } from './handovers/routes';
import { importRoutes } from './imports/routes';
import { goalRoutes } from './goals/routes';
import { networkRoutes } from './network/routes';
import { consentRoutes } from './consents/routes';
import { forgotPasswordRoutes } from './forgot-password/routes';
import { homeRoutes } from './home/routes';
import { mailRoutes } from './mail/routes';
import { mfaRoutes, mfaSignInRoutes } from './mfa/routes';
import { participantRoutes } from './participants/routes';
import { passkeyRoutes, passkeySignInRoutes } from './passkeys/routes';
import { placementRoutes } from './placements/routes';
import { referralRoutes } from './referrals/routes';
import { reportRoutes } from './reports/routes';
import { reviewRoutes } from './reviews/routes';
import { riskRoutes, riskSettingsRoutes } from './risk/routes';
import type { Services } from './services';
import { setPasswordRoutes } from './set-password/routes';
import { ssoRoutes, ssoStepUpRoutes } from './sso/routes';
import { standinRoutes } from './standins/routes';
import { supportRoutes } from './support/routes';
import { teamRoutes } from './teams/routes';
import { subjectAccessRoutes } from './subject-access/routes';
import { todayRoutes } from './today/routes';
import { trajectoryRoutes } from './trajectories/routes';
import { trajectoryReportRoutes } from './trajectory-reports/routes';
import type { Route } from './web/routes';

/**
 * The route table: every URL of the app with who may reach it, gathered from each feature's
 * routes.ts. src/app.ts mounts it; the authorization matrix and the fuzz test read it, so a new
 * route cannot escape either. The order is the order Express tries them in.
 */
export const routeTable: readonly Route<Services>[] = [
  ...authRoutes,
  ...ssoRoutes,
  ...passkeySignInRoutes,
  ...mfaSignInRoutes,
  ...setPasswordRoutes,
  ...forgotPasswordRoutes,
  ...mailRoutes,
  ...homeRoutes,
  ...todayRoutes,
  ...caseloadRoutes,
  ...dashboardRoutes,
  ...accountRoutes,
  ...passkeyRoutes,
  ...mfaRoutes,
  ...ssoStepUpRoutes,
  ...calendarRoutes,
  ...participantRoutes,
  ...riskRoutes,
  ...trajectoryRoutes,
  ...trajectoryReportRoutes,
  ...handoverRoutes,
  ...subjectAccessRoutes,
  ...reportRoutes,
  ...placementRoutes,
  ...contactRoutes,
  ...goalRoutes,
  ...referralRoutes,
  ...networkRoutes,
  ...consentRoutes,
  ...reviewRoutes,
  ...employerRoutes,
  ...directoryRoutes,
  ...standinRoutes,
  ...supportRoutes,
  ...commissionerRoutes,
  ...auditRoutes,
  ...adminRoutes,
  ...importRoutes,
  ...retentionRoutes,
  ...teamRoutes,
  ...riskSettingsRoutes,
];
