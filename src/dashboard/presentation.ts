import type { DashboardQuery } from './schemas';

/** The filters as a query string (without page), so pagination links keep them. */
export function filterQuery(filters: DashboardQuery): string {
  const query = new URLSearchParams();
  if (filters.team !== undefined) query.set('team', String(filters.team));
  if (filters.coach !== undefined) query.set('coach', String(filters.coach));
  if (filters.level !== 'flagged') query.set('level', filters.level);
  if (filters.signal) query.set('signal', filters.signal);
  if (filters.acknowledged !== 'all') query.set('acknowledged', filters.acknowledged);
  return query.toString();
}
