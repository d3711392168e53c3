import type { AdminUserRow } from './service';
import type { UserListQuery } from './schemas';

/** Each field's label, for the forms, their error summary and the conflict page. */
export const FIELD_LABELS: Record<string, string> = {
  displayName: 'admin.user.fields.displayName',
  email: 'admin.user.fields.email',
  role: 'admin.user.fields.role',
  teamId: 'admin.user.fields.team',
  locale: 'admin.user.fields.locale',
  participantsGo: 'admin.user.fields.participantsGo',
  reassignTo: 'admin.user.fields.reassignTo',
};

/** The fields the conflict page compares. */
export const EDIT_FIELDS = ['displayName', 'email', 'role', 'teamId', 'locale'] as const;

export const LIST_NOTICES = { deactivated: 'admin.users.deactivated', reactivated: 'admin.users.reactivated' } as const;

export const USER_NOTICES = {
  updated: 'admin.user.notices.updated',
  deactivated: 'admin.user.notices.deactivated',
  reactivated: 'admin.user.notices.reactivated',
  sessionsEnded: 'admin.user.notices.sessionsEnded',
  factorReset: 'mfa.reset.done',
  nothingToReset: 'mfa.reset.nothing',
} as const;

/** A person's stored details as the edit form shows them. */
export function formValuesOf(person: AdminUserRow): Record<string, string> {
  return {
    displayName: person.displayName,
    email: person.email,
    role: person.role,
    teamId: person.teamId === null ? '' : String(person.teamId),
    locale: person.locale ?? '',
    participantsGo: '',
    reassignTo: '',
    version: String(person.version),
  };
}

/** The list's filters as a query string (without page), so pagination keeps them. */
export function listQueryString(filters: UserListQuery): string {
  const query = new URLSearchParams();
  if (filters.q) query.set('q', filters.q);
  if (filters.role) query.set('role', filters.role);
  if (filters.status !== 'all') query.set('status', filters.status);
  return query.toString();
}
