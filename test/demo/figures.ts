import { DateTime } from 'luxon';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema';
import type { RiskLevel, RiskSignal, TodaySection } from '../../src/demo/history';

// The figures behind product.md's risk signals ("Drifting into isolation") and the /today section
// of a participant, computed from the stored rows with the default thresholds. The demo tests use
// them to check that each persona shows exactly the signals it was written for.

const ZONE = 'Europe/Amsterdam';

export interface ParticipantFigures {
  participantId: number;
  status: string;
  daysSinceReached: number | null;
  unreachedInARow: number;
  /** Days the planned next contact of the latest contact is overdue (negative: still to come). */
  overdueDays: number | null;
  plannedTime: string | null;
  hasActivePlacement: boolean;
  hoursNow: number;
  hoursEightWeeksAgo: number;
  /** The last three wellbeing checks, oldest first. */
  wellbeing: Array<{ mood: number; rhythm: number; social: number; activity: number }>;
  latestIsUnreachedAttempt: boolean;
}

const dayNumber = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).toMillis() / 86_400_000;

export async function participantFigures(
  db: Kysely<Database>,
  participantIds: number[],
  today: string,
): Promise<Map<number, ParticipantFigures>> {
  const participants = await db.selectFrom('participants').select(['id', 'status']).where('id', 'in', participantIds).execute();
  const contacts = await db
    .selectFrom('contact_moments')
    .select([
      'id',
      'participant_id',
      'occurred_at',
      'counterpart',
      'outcome',
      'next_contact_date',
      'next_contact_time',
      'wellbeing_mood',
      'wellbeing_rhythm',
      'wellbeing_social',
      'wellbeing_activity',
    ])
    .where('participant_id', 'in', participantIds)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  const placements = await db
    .selectFrom('placements')
    .select(['id', 'participant_id', 'status'])
    .where('participant_id', 'in', participantIds)
    .execute();
  const hours = placements.length
    ? await db
        .selectFrom('placement_hours')
        .select(['placement_id', 'effective_from', 'hours_per_week'])
        .where(
          'placement_id',
          'in',
          placements.map((placement) => placement.id),
        )
        .orderBy('effective_from')
        .execute()
    : [];
  const eightWeeksAgo = DateTime.fromISO(today).minus({ weeks: 8 }).toISODate()!;
  const hoursOn = (placementId: number, date: string) => {
    let value = 0;
    for (const row of hours)
      if (row.placement_id === placementId && row.effective_from <= date) value = Number(row.hours_per_week);
    return value;
  };

  const result = new Map<number, ParticipantFigures>();
  for (const participant of participants) {
    const own = contacts.filter((contact) => contact.participant_id === participant.id);
    const withParticipant = own.filter((contact) => contact.counterpart === 'participant');
    const lastReachedIndex = withParticipant.map((contact) => contact.outcome).lastIndexOf('reached');
    const lastReached = withParticipant[lastReachedIndex];
    const localDate = (at: Date) => DateTime.fromJSDate(at, { zone: ZONE }).toISODate()!;
    const latest = own[own.length - 1];
    const latestWithParticipant = withParticipant[withParticipant.length - 1];
    const own_placements = placements.filter(
      (placement) => placement.participant_id === participant.id && placement.status !== 'ended',
    );
    const checks = own
      .filter((contact) => contact.wellbeing_social !== null)
      .map((contact) => ({
        mood: contact.wellbeing_mood!,
        rhythm: contact.wellbeing_rhythm!,
        social: contact.wellbeing_social!,
        activity: contact.wellbeing_activity!,
      }));
    result.set(participant.id, {
      participantId: participant.id,
      status: participant.status,
      daysSinceReached: lastReached ? dayNumber(today) - dayNumber(localDate(lastReached.occurred_at)) : null,
      unreachedInARow: withParticipant
        .slice(lastReachedIndex + 1)
        .filter((contact) => contact.outcome === 'not_reached' || contact.outcome === 'voicemail').length,
      overdueDays: latest?.next_contact_date ? dayNumber(today) - dayNumber(latest.next_contact_date) : null,
      plannedTime: latest?.next_contact_time?.slice(0, 5) ?? null,
      hasActivePlacement: own_placements.some((placement) => placement.status === 'active'),
      hoursNow: own_placements.reduce((sum, placement) => sum + hoursOn(placement.id, today), 0),
      hoursEightWeeksAgo: own_placements.reduce((sum, placement) => sum + hoursOn(placement.id, eightWeeksAgo), 0),
      wellbeing: checks.slice(-3),
      latestIsUnreachedAttempt:
        latestWithParticipant !== undefined &&
        (latestWithParticipant.outcome === 'not_reached' || latestWithParticipant.outcome === 'voicemail'),
    });
  }
  return result;
}

/** The signals with their level, with product.md's default thresholds. */
export function signalsOf(figures: ParticipantFigures): Partial<Record<RiskSignal, RiskLevel>> {
  const signals: Partial<Record<RiskSignal, RiskLevel>> = {};
  const since = figures.daysSinceReached ?? Infinity;
  if (since >= 28) signals.last_reached = 'red';
  else if (since >= 14) signals.last_reached = 'amber';
  if (figures.unreachedInARow >= 3) signals.unreached_in_a_row = 'red';
  else if (figures.unreachedInARow === 2) signals.unreached_in_a_row = 'amber';
  if (figures.overdueDays !== null && figures.overdueDays >= 7) signals.follow_up_overdue = 'red';
  else if (figures.overdueDays !== null && figures.overdueDays >= 2) signals.follow_up_overdue = 'amber';
  if (!figures.hasActivePlacement) signals.no_active_placement = since >= 14 ? 'red' : 'amber';
  if (figures.hoursEightWeeksAgo > 0 && figures.hoursNow === 0) signals.hours_drop = 'red';
  else if (figures.hoursEightWeeksAgo > 0 && figures.hoursNow <= figures.hoursEightWeeksAgo / 2) signals.hours_drop = 'amber';
  const latest = figures.wellbeing[figures.wellbeing.length - 1];
  if (latest) {
    const dropped = (key: 'social' | 'rhythm') => Math.max(...figures.wellbeing.map((check) => check[key])) - latest[key] >= 2;
    if ((latest.social <= 2 && latest.rhythm <= 2) || dropped('social') || dropped('rhythm')) signals.wellbeing = 'red';
    else if (latest.social <= 2 || latest.rhythm <= 2) signals.wellbeing = 'amber';
  }
  return signals;
}

/** The /today section as issue 4 defines it (first that applies), or null. */
export function todaySectionOf(figures: ParticipantFigures): TodaySection | null {
  if (figures.status === 'closed') return null;
  if (figures.overdueDays !== null && figures.overdueDays > 0) return 'overdue';
  if (figures.overdueDays === 0) return 'due_today';
  if (figures.latestIsUnreachedAttempt) return 'retry';
  if (figures.status === 'active' && figures.overdueDays === null) return 'no_contact_planned';
  return null;
}
