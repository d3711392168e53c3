import type { MessageTree } from './nl';
import { en as participants } from '../participants/messages';
import { en as trajectories } from '../trajectories/messages';
import { en as placements } from '../placements/messages';
import { en as standins } from '../standins/messages';
import { en as employers } from '../employers/messages';
import { en as commissioners } from '../commissioners/messages';
import { en as audit } from '../audit/messages';
import { en as today } from '../today/messages';
import { en as contacts } from '../contacts/messages';
import { en as goals } from '../goals/messages';
import { en as referrals } from '../referrals/messages';
import { en as dashboard } from '../dashboard/messages';
import { en as reviews } from '../reviews/messages';
import { en as caseloads } from '../caseloads/messages';
import { en as risk } from '../risk/messages';
import { en as reports } from '../reports/messages';
import { en as trajectoryReports } from '../trajectory-reports/messages';
import { en as subjectAccess } from '../subject-access/messages';

// English UI text. Typed against the Dutch tree, so a missing or extra key fails the build.
export const en: MessageTree = {
  participants,
  trajectories,
  placements,
  standins,
  employers,
  commissioners,
  audit,
  today,
  contacts,
  goals,
  referrals,
  dashboard,
  reviews,
  caseloads,
  risk,
  reports,
  trajectoryReports,
  subjectAccess,
  layout: {
    skipToContent: 'Skip to content',
    mainNavigation: 'Main menu',
    language: 'Language',
    logout: 'Sign out',
    footer: 'Every participant in view',
  },
  nav: {
    reports: 'Reports',
    today: 'Today',
    dashboard: 'Dashboard',
    users: 'Users',
    participants: 'Participants',
    employers: 'Employers',
    reviews: 'Quality review',
    caseloads: 'Caseloads',
    myFeedback: 'Feedback',
    standins: 'Stand-ins',
    commissioners: 'Commissioners',
    audit: 'Audit log',
    settings: 'Settings',
  },
  roles: {
    coach: 'Job coach',
    manager: 'Team leader',
    admin: 'Administrator',
  },
  forms: {
    errorSummary_one: 'There is {{count}} problem with this form',
    errorSummary_other: 'There are {{count}} problems with this form',
    cancel: 'Cancel',
  },
  pagination: {
    label: 'Pagination',
    status: '{{from}}–{{to}} of {{total}}',
    previous: 'Previous',
    next: 'Next',
    page: 'Page {{page}} of {{pages}}',
  },
  validation: {
    required: 'Fill in this field.',
    tooLong: 'This is too long.',
    email: 'Enter a valid email address, such as name@example.org.',
    choice: 'Choose one of the options.',
    passwordTooShort: 'The password must be at least 12 characters long.',
    passwordMismatch: 'The two new passwords do not match.',
    date: 'Enter a date as dd/mm/yyyy, for example 23/11/2026.',
    phone: 'Enter a phone number, for example +31 6 1234 5678 or 0470 12 34 56.',
    number: 'Enter a number within the allowed range.',
    stale: 'This form is out of date. Reload the page.',
    expiredForm: 'This form has expired. Check the details and submit it again.',
  },
  conflict: {
    title: 'Someone else changed this meanwhile',
    heading: 'Someone else changed this meanwhile',
    intro:
      'While you were filling in this form, someone else saved it. Nothing of your changes has been saved yet. Compare below and choose what to do.',
    field: 'Field',
    current: 'Saved now',
    yours: 'Your input',
    saveMine: 'Save my input anyway',
    differs: 'differs',
    discard: 'Discard my changes',
    closeChanged: 'Someone else changed this participant meanwhile. Check the details and confirm again.',
  },
  common: {
    yes: 'Yes',
    no: 'No',
    none: '—',
    search: 'Search',
    filter: 'Filter',
    clearFilters: 'Clear filters',
    save: 'Save',
    back: 'Back',
    edit: 'Edit',
    all: 'All',
    sortAscending: 'ascending',
    sortDescending: 'descending',
    required: 'required',
    dateHint: 'dd/mm/yyyy',
  },
  auth: {
    login: {
      title: 'Sign in',
      heading: 'Sign in to InBeeld',
      intro: 'Sign in with your email address and password.',
      email: 'Email address',
      password: 'Password',
      submit: 'Sign in',
      invalid: 'This email address and password do not belong to an active account. Check them and try again.',
      tooManyAttempts: 'Too many sign-in attempts. Wait {{minutes}} minutes and try again, or ask an administrator for help.',
      signedOut: 'You have signed out.',
      expired: 'Your session has expired. Please sign in again.',
    },
  },
  account: {
    title: 'My account',
    heading: 'My account',
    name: 'Name',
    email: 'Email address',
    role: 'Role',
    team: 'Team',
    language: {
      heading: 'Language',
      label: 'Language of InBeeld',
      save: 'Save language',
    },
    password: {
      heading: 'Change password',
      current: 'Current password',
      new: 'New password',
      confirm: 'New password again',
      hint: 'At least 12 characters. A sentence of a few words is easy to remember and strong.',
      submit: 'Change password',
      changed: 'Your password has been changed. Your other sessions have been signed out.',
      currentWrong: 'The current password is not correct.',
    },
  },
  admin: {
    users: {
      title: 'Users',
      heading: 'Users',
      intro: 'Every account of the organisation. A deactivated user is signed out everywhere at once.',
      empty: 'There are no users yet.',
      name: 'Name',
      email: 'Email address',
      role: 'Role',
      team: 'Team',
      status: 'Status',
      actions: 'Actions',
      active: 'Active',
      inactive: 'Deactivated',
      you: 'This is you',
      deactivate: 'Deactivate',
      reactivate: 'Reactivate',
      deactivated: 'The user has been deactivated and signed out everywhere.',
      reactivated: 'The user is active again.',
      back: 'Back to users',
      deactivateTitle: 'Deactivate user',
      deactivateHeading: 'Deactivate {{name}}?',
      deactivateExplain:
        '{{email}} is signed out on every device at once and cannot sign in until an administrator reactivates the account. No data is lost.',
      deactivateConfirm: 'Yes, deactivate',
    },
  },
  errors: {
    home: 'Go to the start page',
    notFound: {
      title: 'Page not found',
      body: 'This page does not exist, or you do not have access to it.',
    },
    unavailable: {
      title: 'InBeeld is briefly unavailable',
      body: 'The database is not responding right now. Nothing has been lost; please try again in a minute.',
    },
    csrf: {
      title: 'Form expired',
      body: 'This form has expired or is not valid, for example because your session was renewed. Go back, reload the page and try again.',
    },
    tooLarge: {
      title: 'Too much data',
      body: 'What you sent is too large. Make it shorter and try again.',
    },
    badRequest: {
      title: 'Invalid request',
      body: 'This request could not be processed. Go back and try again.',
    },
    internal: {
      title: 'Something went wrong',
      body: 'Something went wrong on our side. Nothing from this action was saved; please try again.',
    },
  },
};
