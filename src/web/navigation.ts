import type { Role } from '../db/schema';

export interface NavigationItem {
  href: string;
  /** i18n key of the label */
  label: string;
  /** Something new behind it (a coach's unread feedback or answers), shown beside the label. */
  count?: number;
}

/** What is new for the person, read with the signed-in user (src/users/queries.ts). */
export interface NavigationCounts {
  unreadFeedback: number;
  unreadAnswers: number;
}

/** The main navigation per role: only pages that role may open, with the coach's counts of what is new. */
export function navigationFor(role: Role, counts: NavigationCounts = { unreadFeedback: 0, unreadAnswers: 0 }): NavigationItem[] {
  return itemsFor(role).map((item) => {
    const count =
      item.href === '/reviews/mine'
        ? counts.unreadFeedback
        : item.href === '/support' && role === 'coach'
          ? counts.unreadAnswers
          : 0;
    return count > 0 ? { ...item, count } : item;
  });
}

function itemsFor(role: Role): NavigationItem[] {
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
        { href: '/support', label: 'nav.support' },
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
        { href: '/support', label: 'nav.supportManager' },
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
        { href: '/admin/import', label: 'nav.import' },
        { href: '/admin/audit', label: 'nav.audit' },
        { href: '/admin/review-criteria', label: 'nav.reviewCriteria' },
        { href: '/admin/settings', label: 'nav.settings' },
        { href: '/admin/retention', label: 'nav.retention' },
      ];
  }
}

/** Where "/" leads each role. */
export function homePathFor(role: Role): string {
  return role === 'coach' ? '/today' : '/dashboard';
}

/**
 * The navigation after this page has shown `seen` new things behind `href`: the counts were read
 * with the user at the start of the request, before the page marked them read.
 */
export function afterSeeing(navigation: readonly NavigationItem[], href: string, seen: number): readonly NavigationItem[] {
  if (seen === 0) return navigation;
  return navigation.map((item) => (item.href === href && item.count ? { ...item, count: Math.max(0, item.count - seen) } : item));
}
