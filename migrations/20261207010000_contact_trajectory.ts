import { Kysely, sql } from 'kysely';

// One trajectory per contact (issue 17, decisions.md "Trajectories, network, consent"): a contact
// moment belongs to at most one trajectory, stored in contact_moments.trajectory_id, so a visit on
// a handover day (one trajectory ending, the next starting) counts in one of them only: in its
// hours, its report and its commissioner's export. trajectory_chosen says the coach picked it on
// the form; otherwise the app derives it (src/trajectories/service.ts, assignContactTrajectories).
//
// The rule, here and in the app: the trajectory of the participant whose dates cover the contact's
// day (organisation's zone; an open trajectory has no end), and when several do, the one that
// started first, then the lowest id. The earlier one keeps its contacts: a trajectory recorded
// later for the same days (the next funder's, starting on the handover day) does not take over
// hours already reported to the first. Contacts before any trajectory (intake) belong to none.
//
// The organisation's zone is APP_TIMEZONE, as the app reads it (default Europe/Amsterdam). The
// number of contacts with several candidates is printed, so whoever upgrades knows how many were
// decided by the rule rather than by a single trajectory.
//
// The composite foreign key keeps a contact in a trajectory of its own participant.
export async function up(db: Kysely<any>): Promise<void> {
  const timeZone = process.env.APP_TIMEZONE?.trim() || 'Europe/Amsterdam';
  await sql`alter table trajectories add constraint trajectories_id_participant unique (id, participant_id)`.execute(db);
  await sql`alter table contact_moments
    add column trajectory_id integer,
    add column trajectory_chosen boolean not null default false,
    add constraint contact_moments_trajectory_of_participant
      foreign key (trajectory_id, participant_id) references trajectories (id, participant_id),
    add constraint contact_moments_chosen_has_trajectory check (trajectory_id is not null or not trajectory_chosen)`.execute(db);

  const counts = await sql<{ contacts: number; assigned: number; ambiguous: number }>`
    with candidates as (
      select cm.id, t.id as trajectory_id,
        count(*) over (partition by cm.id) as candidates,
        row_number() over (partition by cm.id order by t.start_date, t.id) as rank
      from contact_moments cm
      join trajectories t on t.participant_id = cm.participant_id
        and t.start_date <= (cm.occurred_at at time zone ${timeZone})::date
        and (t.actual_end_date is null or t.actual_end_date >= (cm.occurred_at at time zone ${timeZone})::date)
    ), assigned as (
      update contact_moments set trajectory_id = candidates.trajectory_id
      from candidates
      where candidates.id = contact_moments.id and candidates.rank = 1
      returning contact_moments.id, candidates.candidates
    )
    select (select count(*) from contact_moments)::int as contacts,
      (select count(*) from assigned)::int as assigned,
      (select count(*) from assigned where candidates > 1)::int as ambiguous`.execute(db);
  const { contacts = 0, assigned = 0, ambiguous = 0 } = counts.rows[0] ?? {};
  if (contacts > 0) {
    console.warn(
      `20261207010000_contact_trajectory: ${assigned} of ${contacts} contact moments assigned to a trajectory ` +
        `(${contacts - assigned} before or between trajectories belong to none); ${ambiguous} ambiguous ` +
        `(several trajectories on their day, ${timeZone}): each went to the one that started first`,
    );
  }

  // The hours, reports and exports of a trajectory read its contacts by trajectory and time.
  await sql`create index contact_moments_trajectory_time on contact_moments (trajectory_id, occurred_at)
    include (duration_minutes, outcome) where trajectory_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index contact_moments_trajectory_time`.execute(db);
  await sql`alter table contact_moments
    drop constraint contact_moments_chosen_has_trajectory,
    drop constraint contact_moments_trajectory_of_participant,
    drop column trajectory_chosen,
    drop column trajectory_id`.execute(db);
  await sql`alter table trajectories drop constraint trajectories_id_participant`.execute(db);
}
