import type { Role } from '../db/schema';

export interface NavigationItem {
  href: string;
  /** i18n key of the label */
  label: string;
}

/** The main navigation per role: only pages that role may open. */
export function navigationFor(role: Role): NavigationItem[] {
  switch (role) {
    case 'coach':
      return [
        { href: '/today', label: 'nav.today' },
        { href: '/dashboard', label: 'nav.dashboard' },
        { href: '/participants', label: 'nav.participants' },
        { href: '/employers', label: 'nav.employers' },
        { href: '/directory', label: 'nav.directory' },
        { href: '/standins', label: 'nav.standins' },
        { href: '/reports', label: 'nav.reports' },
        { href: '/reviews/mine', label: 'nav.myFeedback' },
      ];
    case 'manager':
      return [
        { href: '/dashboard', label: 'nav.dashboard' },
        { href: '/dashboard/caseloads', label: 'nav.caseloads' },
        { href: '/participants', label: 'nav.participants' },
        { href: '/employers', label: 'nav.employers' },
        { href: '/directory', label: 'nav.directory' },
        { href: '/standins', label: 'nav.standins' },
        { href: '/reviews', label: 'nav.reviews' },
        { href: '/reports', label: 'nav.reports' },
      ];
    case 'admin':
      return [
        { href: '/dashboard', label: 'nav.dashboard' },
        { href: '/dashboard/caseloads', label: 'nav.caseloads' },
        { href: '/participants', label: 'nav.participants' },
        { href: '/employers', label: 'nav.employers' },
        { href: '/directory', label: 'nav.directory' },
        { href: '/standins', label: 'nav.standins' },
        { href: '/reviews', label: 'nav.reviews' },
        { href: '/reports', label: 'nav.reports' },
        { href: '/admin/users', label: 'nav.users' },
        { href: '/admin/teams', label: 'nav.teams' },
        { href: '/admin/commissioners', label: 'nav.commissioners' },
        { href: '/admin/audit', label: 'nav.audit' },
        { href: '/admin/settings', label: 'nav.settings' },
        { href: '/admin/retention', label: 'nav.retention' },
      ];
  }
}

/** Where "/" leads each role. */
export function homePathFor(role: Role): string {
  return role === 'coach' ? '/today' : '/dashboard';
}
