import { DateTime } from 'luxon';
import type { Insertable, Kysely } from 'kysely';
import type { ContactMomentsTable, Database } from '../../src/db/schema';
import {
  insertCommissioner,
  insertContactMoment,
  insertEmployer,
  insertParticipant,
  insertPlacement,
  insertTrajectory,
} from '../helpers/fixtures';

// Builders for the risk engine tests: a participant in an active trajectory whose history is
// written in days before "today", so each test states only the figure it is about.

export const ZONE = 'Europe/Amsterdam';

export class RiskScenario {
  private commissionerId = 0;
  private employerId = 0;
  private counter = 0;

  constructor(
    readonly db: Kysely<Database>,
    readonly coachId: number,
    /** Today in the organisation's zone, ISO. */
    readonly today: string,
  ) {}

  async setUp(): Promise<void> {
    this.commissionerId = await insertCommissioner(this.db, { name: `Gemeente ${this.today}`, kind: 'municipality' });
    this.employerId = await insertEmployer(this.db, { name: 'Kringloop Noord', sector: 'retail' });
  }

  get employer(): number {
    return this.employerId;
  }

  /** A calendar day so many days before today (ISO). */
  day(daysAgo: number): string {
    return DateTime.fromISO(this.today, { zone: 'utc' }).minus({ days: daysAgo }).toISODate()!;
  }

  /** An instant on the day so many days before today, at a local hour in the organisation's zone. */
  at(daysAgo: number, hour = 10, minute = 0): Date {
    return DateTime.fromISO(this.day(daysAgo), { zone: ZONE }).set({ hour, minute }).toJSDate();
  }

  /**
   * A participant with an open trajectory since long ago and, unless told otherwise, an active
   * placement of 40 hours a week since then, reached yesterday: on its own, no signal at all.
   */
  async participant(
    options: {
      placement?: boolean;
      status?: 'intake' | 'active' | 'paused';
      /** null: no contact at all. */
      reachedDaysAgo?: number | null;
      trajectoryStartedDaysAgo?: number;
    } = {},
  ): Promise<number> {
    this.counter += 1;
    const id = await insertParticipant(this.db, {
      first_name: 'Deelnemer',
      last_name: `Nummer ${this.counter}`,
      coach_id: this.coachId,
      status: options.status ?? 'active',
    });
    await insertTrajectory(this.db, {
      participant_id: id,
      commissioner_id: this.commissionerId,
      kind: 'jobcoaching',
      granted_hours: 40,
      start_date: this.day(options.trajectoryStartedDaysAgo ?? 300),
    });
    if (options.placement !== false) await this.placement(id, { hours: 40 });
    const reachedDaysAgo = options.reachedDaysAgo === undefined ? 1 : options.reachedDaysAgo;
    if (reachedDaysAgo !== null) await this.contact(id, reachedDaysAgo, 'reached', { hour: 9 });
    return id;
  }

  async placement(
    participantId: number,
    options: {
      hours: number;
      startedDaysAgo?: number;
      status?: 'active' | 'paused';
      pausedDaysAgo?: number;
      employerId?: number;
    },
  ): Promise<number> {
    const paused = options.status === 'paused';
    return insertPlacement(
      this.db,
      {
        participant_id: participantId,
        employer_id: options.employerId ?? this.employerId,
        kind: 'work_experience',
        job_title: 'Medewerker',
        start_date: this.day(options.startedDaysAgo ?? 200),
        status: options.status ?? 'active',
        ...(paused ? { pause_reason: 'Ziek', paused_since: this.day(options.pausedDaysAgo ?? 10) } : {}),
      },
      { hoursPerWeek: options.hours },
    );
  }

  async hoursFrom(placementId: number, daysAgo: number, hours: number): Promise<void> {
    await this.db
      .insertInto('placement_hours')
      .values({ placement_id: placementId, effective_from: this.day(daysAgo), hours_per_week: hours })
      .execute();
  }

  /** A contact moment with the participant; reached ones get a summary. */
  async contact(
    participantId: number,
    daysAgo: number,
    outcome: 'reached' | 'not_reached' | 'voicemail' | 'callback_requested',
    extra: Partial<Insertable<ContactMomentsTable>> & { hour?: number } = {},
  ): Promise<number> {
    const { hour, ...columns } = extra;
    return insertContactMoment(this.db, {
      participant_id: participantId,
      author_id: this.coachId,
      occurred_at: this.at(daysAgo, hour ?? 10),
      channel: 'phone',
      counterpart: 'participant',
      outcome,
      summary: outcome === 'not_reached' || outcome === 'voicemail' ? null : 'Gesproken over de week.',
      ...columns,
    });
  }

  /** A reached contact with a wellbeing check (mood and activity 3). */
  async wellbeing(participantId: number, daysAgo: number, social: number, rhythm: number): Promise<number> {
    return this.contact(participantId, daysAgo, 'reached', {
      wellbeing_mood: 3,
      wellbeing_activity: 3,
      wellbeing_social: social,
      wellbeing_rhythm: rhythm,
    });
  }
}
