// The message catalog: every feature's messages.ts, gathered here at the composition root so that
// src/platform/i18n imports no feature (test/lib/i18n.test.ts checks that none is left out). Each
// feature's texts sit under its own key; the shared ones of src/web sit at the top level.

import { createTranslators, type MessageShape, type MessageVariant } from './platform/i18n';
import * as web from './web/messages';
import * as participants from './participants/messages';
import * as trajectories from './trajectories/messages';
import * as placements from './placements/messages';
import * as standins from './standins/messages';
import * as support from './support/messages';
import * as employers from './employers/messages';
import * as commissioners from './commissioners/messages';
import * as audit from './audit/messages';
import * as today from './today/messages';
import * as contacts from './contacts/messages';
import * as goals from './goals/messages';
import * as referrals from './referrals/messages';
import * as network from './network/messages';
import * as consents from './consents/messages';
import * as directory from './directory/messages';
import * as handovers from './handovers/messages';
import * as dashboard from './dashboard/messages';
import * as reviews from './reviews/messages';
import * as caseloads from './caseloads/messages';
import * as risk from './risk/messages';
import * as reports from './reports/messages';
import * as trajectoryReports from './trajectory-reports/messages';
import * as subjectAccess from './subject-access/messages';
import * as nav from './home/messages';
import * as auth from './auth/messages';
import * as account from './account/messages';
import * as calendar from './calendar/messages';
import * as passkeys from './passkeys/messages';
import * as admin from './admin/messages';
import * as imports from './imports/messages';
import * as retention from './retention/messages';
import * as users from './users/messages';
import * as teams from './teams/messages';
import * as setPassword from './set-password/messages';
import * as mail from './mail/messages';
import * as forgotPassword from './forgot-password/messages';
import * as sso from './sso/messages';
import * as mfa from './mfa/messages';

/** Dutch: the reference language. */
export const nl = {
  ...web.nl,
  participants: participants.nl,
  trajectories: trajectories.nl,
  placements: placements.nl,
  standins: standins.nl,
  support: support.nl,
  employers: employers.nl,
  commissioners: commissioners.nl,
  audit: audit.nl,
  today: today.nl,
  contacts: contacts.nl,
  goals: goals.nl,
  referrals: referrals.nl,
  network: network.nl,
  consents: consents.nl,
  directory: directory.nl,
  handovers: handovers.nl,
  dashboard: dashboard.nl,
  reviews: reviews.nl,
  caseloads: caseloads.nl,
  risk: risk.nl,
  reports: reports.nl,
  trajectoryReports: trajectoryReports.nl,
  subjectAccess: subjectAccess.nl,
  nav: nav.nl,
  auth: auth.nl,
  account: account.nl,
  calendar: calendar.nl,
  passkeys: passkeys.nl,
  admin: admin.nl,
  imports: imports.nl,
  retention: retention.nl,
  users: users.nl,
  teams: teams.nl,
  setPassword: setPassword.nl,
  mail: mail.nl,
  forgotPassword: forgotPassword.nl,
  sso: sso.nl,
  mfa: mfa.nl,
};

/** English, typed against the Dutch tree: a missing or extra key fails the build. */
export const en: MessageShape<typeof nl> = {
  ...web.en,
  participants: participants.en,
  trajectories: trajectories.en,
  placements: placements.en,
  standins: standins.en,
  support: support.en,
  employers: employers.en,
  commissioners: commissioners.en,
  audit: audit.en,
  today: today.en,
  contacts: contacts.en,
  goals: goals.en,
  referrals: referrals.en,
  network: network.en,
  consents: consents.en,
  directory: directory.en,
  handovers: handovers.en,
  dashboard: dashboard.en,
  reviews: reviews.en,
  caseloads: caseloads.en,
  risk: risk.en,
  reports: reports.en,
  trajectoryReports: trajectoryReports.en,
  subjectAccess: subjectAccess.en,
  nav: nav.en,
  auth: auth.en,
  account: account.en,
  calendar: calendar.en,
  passkeys: passkeys.en,
  admin: admin.en,
  imports: imports.en,
  retention: retention.en,
  users: users.en,
  teams: teams.en,
  setPassword: setPassword.en,
  mail: mail.en,
  forgotPassword: forgotPassword.en,
  sso: sso.en,
  mfa: mfa.en,
};

/**
 * Flemish (nl-BE): only the words Flemish teams say differently; every other key falls back to nl
 * (platform/i18n.ts). Features with such words export `nlBE`.
 */
export const nlBE: MessageVariant<typeof nl> = {
  ...web.nlBE,
  participants: participants.nlBE,
  caseloads: caseloads.nlBE,
  commissioners: commissioners.nlBE,
  referrals: referrals.nlBE,
  directory: directory.nlBE,
  handovers: handovers.nlBE,
};

/** The translator of one language, for a request or a document. */
export const translatorFor = createTranslators({ nl, en, 'nl-BE': nlBE });
