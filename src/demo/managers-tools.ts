import { sql, type Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import type { Database } from '../db/schema';

// The demo of issue 20's managers' tools (items 3, 4, 7 and 8):
// - the stand-ins the history's colleague contacts ("Waarneming voor …") were made under: one split
//   stand-in per absent coach, colleague and week, covering the participants the colleague contacted
//   then, plus one running today (Joris Visser away, Fatima El Amrani covering his whole caseload);
// - the review rubric with four criteria and two scored samples of Daan Bakker's calls a month apart;
// - support questions of Daan Bakker to Team Utrecht's manager: one open, one answered and not yet read.
// Deterministic: everything follows from the seeded caseload and "today".

const CRITERIA = [
  {
    label: 'Luisterde en vatte samen',
    description: 'Liet de deelnemer uitpraten en gaf in eigen woorden terug wat er gezegd werd.',
  },
  { label: 'Sprak een volgende stap af', description: 'Het gesprek eindigde met een concrete afspraak: wie doet wat, wanneer.' },
  { label: 'Vroeg naar het welzijn', description: 'Vroeg hoe het met de deelnemer zelf gaat, niet alleen met werk.' },
  { label: 'Toon', description: 'Respectvol, helder en in taal die de deelnemer begrijpt.' },
];

async function userId(db: Kysely<Database>, email: string): Promise<number> {
  return (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

export async function seedDemoManagersTools(db: Kysely<Database>, today: DateTime): Promise<void> {
  await seedStandinsOfHistory(db, today);
  await seedRubric(db, today);
  await seedSupportQuestions(db, today);
}

/** The stand-ins the history's colleague contacts refer to, and one running today. */
async function seedStandinsOfHistory(db: Kysely<Database>, today: DateTime): Promise<void> {
  const zone = today.zoneName ?? 'Europe/Amsterdam';
  const yesterday = today.minus({ days: 1 }).toISODate()!;
  // Per absent coach, colleague and ISO week: the days the colleague worked and whom they contacted.
  const weeks = await sql<{
    absentId: number;
    standinId: number;
    firstDay: string;
    lastDay: string;
    participantIds: number[];
    teamId: number;
  }>`
    select p.coach_id as "absentId", c.author_id as "standinId",
      to_char(min((c.occurred_at at time zone ${zone})::date), 'YYYY-MM-DD') as "firstDay",
      to_char(max((c.occurred_at at time zone ${zone})::date), 'YYYY-MM-DD') as "lastDay",
      array_agg(distinct p.id order by p.id) as "participantIds",
      absent.team_id as "teamId"
    from contact_moments c
    join participants p on p.id = c.participant_id
    join users absent on absent.id = p.coach_id
    join users author on author.id = c.author_id and author.role = 'coach'
    where c.author_id <> p.coach_id and (c.occurred_at at time zone ${zone})::date <= ${yesterday}::date
    group by p.coach_id, c.author_id, absent.team_id, date_trunc('week', c.occurred_at at time zone ${zone})
    order by 3, 1, 2`.execute(db);
  const managers = await db.selectFrom('users').select(['id', 'team_id']).where('role', '=', 'manager').execute();
  const managerOf = (teamId: number) => managers.find((manager) => manager.team_id === teamId)?.id;
  for (const week of weeks.rows) {
    const createdBy = managerOf(week.teamId);
    if (createdBy === undefined) continue;
    const standin = await db
      .insertInto('coach_standins')
      .values({
        absent_coach_id: week.absentId,
        standin_coach_id: week.standinId,
        starts_on: week.firstDay,
        ends_on: week.lastDay,
        covers: 'participants',
        note: 'Verlof; de collega belt de deelnemers met een afspraak.',
        created_by: createdBy,
        created_at: new Date(`${week.firstDay}T08:00:00Z`),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('coach_standin_participants')
      .values(week.participantIds.map((participantId) => ({ standin_id: standin.id, participant_id: participantId })))
      .execute();
  }
  await db
    .insertInto('coach_standins')
    .values({
      absent_coach_id: await userId(db, 'coach3@example.org'),
      standin_coach_id: await userId(db, 'coach2@example.org'),
      starts_on: today.toISODate()!,
      ends_on: today.plus({ days: 4 }).toISODate()!,
      covers: 'caseload',
      note: 'Cursus van een week. Overdracht besproken in het teamoverleg.',
      created_by: await userId(db, 'manager@example.org'),
      created_at: today.minus({ days: 3 }).toJSDate(),
    })
    .execute();
}

/** Four criteria, and Daan Bakker's calls scored in two samples a month apart. */
async function seedRubric(db: Kysely<Database>, today: DateTime): Promise<void> {
  const admin = await userId(db, 'admin@example.org');
  const criterionIds: number[] = [];
  for (const [index, criterion] of CRITERIA.entries()) {
    const row = await db
      .insertInto('review_criteria')
      .values({ ...criterion, position: index + 1, created_by: admin })
      .returning('id')
      .executeTakeFirstOrThrow();
    criterionIds.push(row.id);
  }
  const coach = await userId(db, 'coach@example.org');
  const manager = await userId(db, 'manager@example.org');
  const samples = [
    {
      drawnDaysAgo: 40,
      scores: [
        [3, 2, 3, 4],
        [2, 2, 3, 3],
        [3, 3, 2, 4],
      ],
      comments: ['Goed samengevat.', 'Spreek een concrete vervolgafspraak af.', ''],
    },
    {
      drawnDaysAgo: 5,
      scores: [
        [4, 3, 3, 4],
        [3, 4, 4, 4],
        [4, 3, 2, 3],
      ],
      comments: ['Sterk gesprek, mooie afspraak.', '', 'Vraag ook naar hoe het thuis gaat.'],
    },
  ];
  for (const sample of samples) {
    const drawnAt = today.minus({ days: sample.drawnDaysAgo });
    const conversations = await db
      .selectFrom('contact_moments')
      .select('id')
      .where('author_id', '=', coach)
      .where('outcome', '=', 'reached')
      .where('counterpart', '=', 'participant')
      .where('occurred_at', '<', drawnAt.toJSDate())
      .where('occurred_at', '>=', drawnAt.minus({ days: 30 }).toJSDate())
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(sample.scores.length)
      .execute();
    if (conversations.length === 0) continue;
    const sampleRow = await db
      .insertInto('review_samples')
      .values({
        coach_id: coach,
        drawn_by: manager,
        drawn_at: drawnAt.toJSDate(),
        period_days: 30,
        requested_size: sample.scores.length,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [index, conversation] of conversations.entries()) {
      const item = await db
        .insertInto('review_items')
        .values({
          sample_id: sampleRow.id,
          contact_moment_id: conversation.id,
          reviewed_by: manager,
          reviewed_at: drawnAt.plus({ days: 1, hours: index }).toJSDate(),
          feedback: sample.comments[index] ?? '',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('review_scores')
        .values(
          sample.scores[index]!.map((score, position) => ({
            review_item_id: item.id,
            criterion_id: criterionIds[position]!,
            score,
          })),
        )
        .execute();
    }
  }
  // Daan read the first sample's feedback; the recent one is new for him.
  await db
    .updateTable('users')
    .set({ feedback_read_at: today.minus({ days: 30 }).toJSDate() })
    .where('id', '=', coach)
    .execute();
}

/** One open question of Daan Bakker to Team Utrecht's managers, and an earlier one answered but not yet read. */
async function seedSupportQuestions(db: Kysely<Database>, today: DateTime): Promise<void> {
  const coach = await userId(db, 'coach@example.org');
  const manager = await userId(db, 'manager@example.org');
  const team = (await db.selectFrom('users').select('team_id').where('id', '=', coach).executeTakeFirstOrThrow()).team_id!;
  const participants = await db
    .selectFrom('participants')
    .select('id')
    .where('coach_id', '=', coach)
    .where('status', '=', 'active')
    .orderBy('last_name')
    .orderBy('id')
    .limit(2)
    .execute();
  if (participants.length < 2) return;
  const latestContact = await db
    .selectFrom('contact_moments')
    .select('id')
    .where('participant_id', '=', participants[0]!.id)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  await db
    .insertInto('support_requests')
    .values({
      coach_id: coach,
      team_id: team,
      participant_id: participants[0]!.id,
      contact_moment_id: latestContact?.id ?? null,
      question:
        'Hij wil zijn uren bij de werkgever afbouwen omdat het thuis niet goed gaat. Zal ik voorstellen tijdelijk minder uren te werken, of eerst een gesprek met de begeleider plannen?',
      created_at: today.minus({ hours: 20 }).toJSDate(),
    })
    .execute();
  await db
    .insertInto('support_requests')
    .values({
      coach_id: coach,
      team_id: team,
      participant_id: participants[1]!.id,
      question: 'Ze heeft drie keer niet opgenomen. Wanneer schakel ik de fysieke huisbezoeken in?',
      created_at: today.minus({ days: 3 }).toJSDate(),
      answer:
        'Na de derde keer niet bereikt: binnen een week een huisbezoek, en meld het in het teamoverleg. Laat ook een brief achter.',
      answered_by: manager,
      answered_at: today.minus({ days: 2 }).toJSDate(),
    })
    .execute();
}
