import type { DateTime } from 'luxon';
import type { Role } from '../db/schema';
import type { Clock } from './clock';
import { wallClockAt } from './wall-clock';

/**
 * Who is asking, as the access rules need it: every query of participant data takes a Viewer
 * and restricts itself (see db/access.ts), so a page can never show more than its user may see.
 */
export interface Viewer {
  userId: number;
  role: Role;
  teamId: number | null;
  /** Today in the organisation's time zone (ISO date): stand-ins count on their days only. */
  today: string;
  /** The organisation's time zone: writes recompute the stored risk state for "today" in it. */
  timeZone: string;
}

export function viewerFor(user: Express.User, clock: Clock, timeZone: string): Viewer {
  return { userId: user.id, role: user.role, teamId: user.teamId, today: organisationToday(clock, timeZone), timeZone };
}

/**
 * Today's date (ISO) in the organisation's time zone. Every signed-in request asks (its viewer and
 * its session read), so it reads the wall clock (lib/wall-clock.ts) rather than building a zoned
 * luxon DateTime; luxon answers what that does not cover.
 */
export function organisationToday(clock: Clock, timeZone: string): string {
  return isoDateIn(clock.now(), timeZone);
}

/** The calendar date (ISO) of an instant in a time zone, from the wall clock where it answers. */
export function isoDateIn(instant: DateTime, timeZone: string): string {
  const wall = wallClockAt(instant.toJSDate(), timeZone);
  return wall ? `${wall.year}-${wall.month}-${wall.day}` : instant.setZone(timeZone).toISODate()!;
}
