import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../../src/db/schema';
import { LOCKED } from '../../src/platform/jobs';
import { pseudonymOf } from '../../src/reports/service';
import { retain } from '../../src/retention/jobs';
import { ERASED_TEXT, RETENTION_BATCH } from '../../src/retention/service';
import { findRiskStateDifferences } from '../../src/risk/state';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import {
  insertCommissioner,
  insertConsent,
  insertContactMoment,
  insertEmployer,
  insertGoal,
  insertNetworkPerson,
  insertParticipant,
  insertPlacement,
  insertReferral,
  insertTrajectory,
  postForm,
  referralOrganisation,
} from '../helpers/fixtures';

// Retention (issue 19 item 4) and erasure on request (item 5): what goes, what stays, the job's
// batches and lock, the dry run (page and `npm run retention -- --dry-run`), the audit log's own
// retention through its trigger, and the subject access answer of an erased file.

const run = promisify(execFile);
const NOW = '2026-11-23T09:00:00+01:00';
/** Every free text of the files below holds this word, so what is left of it anywhere is found. */
const SECRET = 'Geheimwoord';

let t: TestApp;
let db: Kysely<Database>;
let coach: UserFixture;
let admin: UserFixture;
let manager: UserFixture;
let commissioner: number;

beforeAll(async () => {
  t = await startTestApp();
  db = t.database.db;
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Retentie', displayName: 'Carla Coach' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Retentie' });
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Admin' });
  commissioner = await insertCommissioner(db, { name: 'Gemeente Retentie', kind: 'municipality' });
});

afterAll(async () => {
  await t.close();
});

/**
 * A file with something in every table that holds text about a participant, each text holding
 * SECRET, closed on `closedOn` (or open when null). Answers the participant's id.
 */
async function fullFile(name: string, closedOn: string | null, contacts = 2): Promise<number> {
  const secret = `${SECRET}${name}`;
  const id = await insertParticipant(db, {
    first_name: secret,
    last_name: `Achternaam${secret}`,
    date_of_birth: '1980-04-05',
    phone: '0612345678',
    email: `${name.toLowerCase()}@${secret.toLowerCase()}.test`,
    address_line: `${secret}straat 1`,
    postal_code: '1234 AB',
    city: `${secret}stad`,
    language_support: `${secret} tolk`,
    external_reference: `EXT-${secret}-${name}`,
    coach_id: coach.id,
    status: 'active',
  });
  const trajectory = await insertTrajectory(db, {
    participant_id: id,
    commissioner_id: commissioner,
    kind: 'jobcoaching',
    reference: `REF-${secret}-${name}`,
    start_date: '2024-01-01',
    granted_hours: 40,
  });
  const contactIds: number[] = [];
  for (let index = 0; index < contacts; index += 1) {
    contactIds.push(
      await insertContactMoment(db, {
        participant_id: id,
        author_id: coach.id,
        occurred_at: DateTime.fromISO('2024-02-01T10:00:00Z').plus({ hours: index }).toJSDate(),
        channel: 'phone',
        outcome: 'reached',
        duration_minutes: 30,
        summary: `Gesprek ${index} ${secret}`,
        wellbeing_mood: 3,
      }),
    );
  }
  await db
    .insertInto('contact_addenda')
    .values({ contact_moment_id: contactIds[0]!, author_id: coach.id, body: `Aanvulling ${secret}` })
    .execute();
  const goal = await insertGoal(db, {
    participant_id: id,
    title: `Doel ${secret}`,
    description: `Beschrijving ${secret}`,
    life_domain: 'work',
    created_by: coach.id,
  });
  await db
    .insertInto('goal_progress')
    .values({ goal_id: goal, author_id: coach.id, status: 'in_progress', note: `Voortgang ${secret}` })
    .execute();
  await insertReferral(db, {
    participant_id: id,
    service_kind: 'debt_counselling',
    organisation: 'Schuldhulp Retentie',
    reason: `Schulden ${secret}`,
    referred_on: '2024-02-01',
    created_by: coach.id,
  });
  const person = await insertNetworkPerson(db, {
    participant_id: id,
    role: 'family',
    name: `Moeder ${secret}`,
    organisation: `Org ${secret}`,
    phone: '0687654321',
    email: `moeder@${secret.toLowerCase()}.test`,
    note: `Notitie ${secret}`,
    created_by: coach.id,
  });
  await db
    .insertInto('contact_attendees')
    .values({ contact_moment_id: contactIds[0]!, kind: 'network_person', network_person_id: person })
    .execute();
  await insertConsent(db, {
    participant_id: id,
    purpose: 'quality_review',
    given_on: '2024-01-01',
    recorded_by: coach.id,
    note: `Toestemming ${secret}`,
  });
  await db
    .insertInto('trajectory_report_narratives')
    .values({
      trajectory_id: trajectory,
      period_from: '2024-01-01',
      period_to: '2024-03-31',
      progress: `Voortgang ${secret}`,
      next_steps: `Stappen ${secret}`,
      updated_by: coach.id,
    })
    .execute();
  const employer = await insertEmployer(db, { name: 'Werkgever Retentie', sector: 'retail' });
  const placement = await insertPlacement(
    db,
    { participant_id: id, employer_id: employer, kind: 'paid_job', job_title: `Functie ${secret}`, start_date: '2024-02-01' },
    { hoursPerWeek: 12, note: `Uren ${secret}` },
  );
  const sample = await db
    .insertInto('review_samples')
    .values({ coach_id: coach.id, drawn_by: manager.id, drawn_at: new Date(), period_days: 30, requested_size: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('review_items')
    .values({
      sample_id: sample.id,
      contact_moment_id: contactIds[0]!,
      reviewed_by: manager.id,
      reviewed_at: new Date(),
      feedback: `Feedback ${secret}`,
    })
    .execute();
  await db
    .insertInto('risk_acknowledgements')
    .values({
      participant_id: id,
      acknowledged_by: coach.id,
      acknowledged_at: new Date(),
      note: `Erkend ${secret}`,
      level: 'amber',
      flagged: '[]',
    })
    .execute();
  // A coach's question about the file to the team leader, and one leader's answer.
  const team = await db.selectFrom('teams').select('id').where('name', '=', 'Team Retentie').executeTakeFirstOrThrow();
  await db
    .insertInto('support_requests')
    .values({ coach_id: coach.id, team_id: team.id, participant_id: id, question: `Vraag ${secret}` })
    .execute();
  await db
    .insertInto('support_requests')
    .values({
      coach_id: coach.id,
      team_id: team.id,
      participant_id: id,
      contact_moment_id: contactIds[0]!,
      question: `Hoe verder ${secret}`,
      answer: `Antwoord ${secret}`,
      answered_by: manager.id,
      answered_at: new Date(),
    })
    .execute();
  // Two imports that changed the file: each kept the rows as they were before it, whole, for its undo.
  for (const [kind, entity, table, entityId] of [
    ['participants', 'participant', 'participants', id],
    ['placements', 'placement', 'placements', placement],
  ] as const) {
    const batch = await db
      .insertInto('import_batches')
      .values({ user_id: admin.id, kind, file_name: `${table}.xlsx`, status: 'published', started_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      insert into import_batch_records (batch_id, entity_type, entity_id, action, participant_id, version_after, previous)
      select ${batch.id}::int, ${entity}::text, x.id, 'update', ${id}::int, x.version, to_jsonb(x)
      from ${sql.table(table)} x where x.id = ${entityId}`.execute(db);
  }
  if (closedOn !== null) {
    await db.updateTable('placements').set({ status: 'ended', end_date: closedOn }).where('id', '=', placement).execute();
    await db
      .updateTable('trajectories')
      .set({ actual_end_date: closedOn, outcome: 'handover' })
      .where('id', '=', trajectory)
      .execute();
    const organisation = await referralOrganisation(db, 'VDAB Retentie', 'vdab');
    await db
      .insertInto('handovers')
      .values({
        trajectory_id: trajectory,
        participant_id: id,
        organisation_id: organisation,
        receiver_name: `Ontvanger ${secret}`,
        receiver_phone: '0499112233',
        receiver_email: `ontvanger@${secret.toLowerCase()}.test`,
        handover_date: closedOn,
        note: `Overdracht ${secret}`,
        created_by: coach.id,
      })
      .execute();
    await db.updateTable('participants').set({ status: 'closed', closed_on: closedOn }).where('id', '=', id).execute();
  }
  return id;
}

/**
 * Every row of every table (audit events included) that still holds a text of the file `name`,
 * as "table: row". Only the erasure's own record (its reason, for administrators) is left out.
 */
async function textsLeft(name: string): Promise<string[]> {
  const secret = `${SECRET}${name}`.toLowerCase();
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'`.execute(db);
  const found: string[] = [];
  for (const { table_name: table } of tables.rows) {
    if (table === 'participant_erasures') continue;
    const rows = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(table)} t`.execute(db);
    for (const { row } of rows.rows) if (row.toLowerCase().includes(secret)) found.push(`${table}: ${row}`);
  }
  return found;
}

/** Contact details that hold no file name: none may be left for an erased participant. */
async function contactDetailsLeft(participantId: number): Promise<number> {
  const result = await sql<{ n: string }>`
    select (select count(*) from network_persons where participant_id = ${participantId}
              and (phone is not null or email is not null or organisation is not null or note is not null))
         + (select count(*) from handovers where participant_id = ${participantId}
              and (receiver_phone is not null or receiver_email is not null)) as n`.execute(db);
  return Number(result.rows[0]!.n);
}

/** What stays: counts, minutes, hours and dates. */
async function figuresOf(participantId: number) {
  const result = await sql<{
    contacts: string;
    minutes: string;
    goals: string;
    referrals: string;
    granted: string;
    addenda: string;
    placements: string;
  }>`
    select
      (select count(*) from contact_moments where participant_id = ${participantId}) as contacts,
      (select sum(duration_minutes) from contact_moments where participant_id = ${participantId}) as minutes,
      (select count(*) from goals where participant_id = ${participantId}) as goals,
      (select count(*) from referrals where participant_id = ${participantId}) as referrals,
      (select sum(granted_hours) from trajectories where participant_id = ${participantId}) as granted,
      (select count(*) from contact_addenda a join contact_moments c on c.id = a.contact_moment_id where c.participant_id = ${participantId}) as addenda,
      (select string_agg(start_date::text || '/' || coalesce(end_date::text, ''), ',') from placements where participant_id = ${participantId}) as placements`.execute(
    db,
  );
  return result.rows[0];
}

async function setPeriods(closedFilesMonths: number | null, auditLogYears = 7, staffAnonymiseMonths: number | null = null) {
  await db
    .updateTable('retention_settings')
    .set({ closed_files_months: closedFilesMonths, audit_log_years: auditLogYears, staff_anonymise_months: staffAnonymiseMonths })
    .execute();
}

const runJob = (now = NOW) =>
  retain(
    db,
    DateTime.fromISO(now, { setZone: true }),
    { timeZone: t.config.timeZone, pseudonymSecret: t.config.pseudonymSecret },
    new AbortController().signal,
  );

const participantRow = (id: number) => db.selectFrom('participants').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('the retention job', () => {
  let expired: number;
  let recent: number;
  let open: number;

  beforeAll(async () => {
    expired = await fullFile('Verlopen', '2025-10-31', RETENTION_BATCH + 20);
    recent = await fullFile('Recent', '2025-12-01');
    open = await fullFile('Open', null);
  });

  test('erases nothing while no period for closed files is set', async () => {
    await setPeriods(null);
    const report = await runJob();
    expect(report.figures).toMatchObject({ erasedFiles: 0 });
    expect((await participantRow(expired)).erased_at).toBeNull();
  });

  test('erases the files closed longer ago than the period, in batches, keeping counts, hours and dates under a pseudonym', async () => {
    await setPeriods(12);
    const before = await figuresOf(expired);
    const auditBefore = await db.selectFrom('audit_events').select(['id', 'details']).orderBy('id').execute();
    const report = await runJob();
    expect(report.outcome).toBe('done');
    expect(report.figures).toMatchObject({ erasedFiles: 1 });
    // More summaries than one batch: the contact moments took two transactions.
    expect(Number(report.figures!.erasedTexts)).toBeGreaterThan(RETENTION_BATCH);

    const row = await participantRow(expired);
    expect(row.erased_at).not.toBeNull();
    expect(row.first_name).toBe(ERASED_TEXT);
    expect(row.last_name).toBe(pseudonymOf(t.config.pseudonymSecret, expired));
    expect(row).toMatchObject({
      date_of_birth: null,
      phone: null,
      email: null,
      address_line: null,
      postal_code: null,
      city: null,
      language_support: null,
      external_reference: null,
      status: 'closed',
      closed_on: '2025-10-31',
    });
    expect(await figuresOf(expired)).toEqual(before);
    const trajectory = await db
      .selectFrom('trajectories')
      .selectAll()
      .where('participant_id', '=', expired)
      .executeTakeFirstOrThrow();
    expect(trajectory).toMatchObject({
      reference: null,
      start_date: '2024-01-01',
      actual_end_date: '2025-10-31',
      outcome: 'handover',
    });

    // The recent and the open file are untouched.
    expect((await participantRow(recent)).first_name).toBe(`${SECRET}Recent`);
    expect((await participantRow(open)).first_name).toBe(`${SECRET}Open`);
    expect(await textsLeft('Verlopen')).toEqual([]);
    expect(await contactDetailsLeft(expired)).toBe(0);
    // The untouched files keep every text (the same tables, so the search above can find them).
    expect((await textsLeft('Recent')).length).toBeGreaterThanOrEqual(15);
    const erasedRows = await sql<{ n: string }>`
      select count(*) as n from contact_moments where participant_id = ${expired} and summary <> ${ERASED_TEXT}`.execute(db);
    expect(Number(erasedRows.rows[0]!.n)).toBe(0);

    // The audit log was not rewritten: every earlier event is as it was; one erase event was added.
    const auditAfter = await db
      .selectFrom('audit_events')
      .select(['id', 'details', 'action', 'participant_id'])
      .orderBy('id')
      .execute();
    expect(auditAfter.slice(0, auditBefore.length).map(({ id, details }) => ({ id, details }))).toEqual(auditBefore);
    const added = auditAfter.slice(auditBefore.length);
    expect(added).toEqual([
      expect.objectContaining({
        action: 'erase',
        participant_id: expired,
        details: { kind: 'retention', closedOn: '2025-10-31', keptMonths: 12 },
      }),
    ]);
    const erasure = await db
      .selectFrom('participant_erasures')
      .selectAll()
      .where('participant_id', '=', expired)
      .executeTakeFirstOrThrow();
    expect(erasure).toMatchObject({ kind: 'retention', erased_by: null, reason: null });
  });

  test('a second run finds nothing left to do, and the stored risk state stays consistent', async () => {
    const report = await runJob();
    expect(report.outcome).toBe('nothing_due');
    expect(report.figures).toEqual({ erasedFiles: 0, erasedTexts: 0, anonymisedAccounts: 0, deletedAuditEvents: 0 });
    const differences = await findRiskStateDifferences(db, DateTime.fromISO(NOW), t.config.timeZone);
    expect(differences.filter((difference) => [expired, recent].includes(difference.participantId))).toEqual([]);
  });

  test('a file is erased the day after its period ends, not before', async () => {
    expect((await runJob('2026-12-01T09:00:00+01:00')).figures).toMatchObject({ erasedFiles: 0 });
    expect((await runJob('2026-12-02T09:00:00+01:00')).figures).toMatchObject({ erasedFiles: 1 });
    expect((await participantRow(recent)).erased_at).not.toBeNull();
  });

  test('the job does nothing while another process holds its lock', async () => {
    if (t.database.mode === 'embedded') return; // one connection: a second transaction cannot hold the lock meanwhile
    const pool = t.database.openPool();
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(`select pg_advisory_xact_lock(${0x1bee1d00}, hashtext('retention'))`);
      expect((await runJob()).outcome).toBe(LOCKED);
      await client.query('rollback');
    } finally {
      client.release(); // the pool is the test database's: it ends it on close
    }
  });
});

describe('staff accounts and the audit log', () => {
  test('a deactivated account is anonymised after its period; one still in it is not', async () => {
    const old = await createTestUser(t.database, { role: 'coach', team: 'Team Retentie', displayName: 'Oud Gediende' });
    const fresh = await createTestUser(t.database, { role: 'coach', team: 'Team Retentie', displayName: 'Pas Weg' });
    await db
      .updateTable('users')
      .set({ active: false, deactivated_at: new Date('2025-01-01T00:00:00Z') })
      .where('id', '=', old.id)
      .execute();
    await db
      .updateTable('users')
      .set({ active: false, deactivated_at: new Date('2026-10-01T00:00:00Z') })
      .where('id', '=', fresh.id)
      .execute();
    await setPeriods(12, 7, 6);
    const report = await runJob();
    expect(report.figures).toMatchObject({ anonymisedAccounts: 1 });
    const anonymised = await db.selectFrom('users').selectAll().where('id', '=', old.id).executeTakeFirstOrThrow();
    expect(anonymised).toMatchObject({
      display_name: ERASED_TEXT,
      email: `anonymised-${old.id}@invalid`,
      password_hash: null,
      active: false,
    });
    expect(anonymised.anonymised_at).not.toBeNull();
    expect(
      (await db.selectFrom('users').select('display_name').where('id', '=', fresh.id).executeTakeFirstOrThrow()).display_name,
    ).toBe('Pas Weg');
    // An anonymised account cannot be switched on again: the reactivation changes nothing.
    const agent = await signedInAgent(t.app, admin);
    await postForm(agent, `/admin/users/${old.id}/reactivate`, {}, `/admin/users/${old.id}`);
    expect((await db.selectFrom('users').select('active').where('id', '=', old.id).executeTakeFirstOrThrow()).active).toBe(false);
  });

  test('audit events older than the kept period are removed; younger ones stay; the trigger refuses any other removal or change', async () => {
    const insertAt = async (occurredAt: string) =>
      (
        await db
          .insertInto('audit_events')
          .values({
            occurred_at: occurredAt,
            actor_user_id: null,
            action: 'view',
            entity_type: 'participant',
            entity_id: '1',
            details: '{}',
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const ancient = await insertAt('2010-01-01T00:00:00Z');
    const young = await insertAt('2024-06-01T00:00:00Z');
    // Not even the retention's own kind of statement removes a young event, nor changes an old one.
    await expect(sql`delete from audit_events where id = ${young}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`update audit_events set action = 'x' where id = ${ancient}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(db)).rejects.toThrow(/append-only/);

    const report = await runJob();
    expect(Number(report.figures!.deletedAuditEvents)).toBeGreaterThanOrEqual(1);
    const ids = (await db.selectFrom('audit_events').select('id').execute()).map((row) => row.id);
    expect(ids).not.toContain(ancient);
    expect(ids).toContain(young);
    const removal = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_type', '=', 'audit_log')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(removal).toMatchObject({
      action: 'remove_expired',
      details: { deleted: Number(report.figures!.deletedAuditEvents), keptYears: 7 },
    });
    // With one year kept, the 2024 event goes too (by the trigger's rule on the database clock).
    await setPeriods(12, 1, 6);
    await runJob();
    expect((await db.selectFrom('audit_events').select('id').where('id', '=', young).execute()).length).toBe(0);
    await setPeriods(12, 7, 6);
  });
});

describe('the dry run', () => {
  let due: number;

  beforeAll(async () => {
    due = await fullFile('Proef', '2025-06-30');
  });

  test('the page lists who would be erased, a page at a time, and changes nothing', async () => {
    await setPeriods(12);
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get('/admin/retention/dry-run');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`${SECRET}Proef`);
    expect(page.text).toContain('1 dossier zou gewist worden.');
    expect((await participantRow(due)).erased_at).toBeNull();
    const audit = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_type', '=', 'retention')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'dry_run', actor_user_id: admin.id, details: { files: 1, participantIds: [due] } });
    expect(JSON.stringify(audit.details)).not.toContain(SECRET);
  });

  test('without a period the page says nothing would be erased', async () => {
    await setPeriods(null);
    const page = await (await signedInAgent(t.app, admin)).get('/admin/retention/dry-run');
    expect(page.text).toContain('er worden geen dossiers gewist');
    expect(page.text).not.toContain(`${SECRET}Proef`);
    await setPeriods(12);
  });

  test('`npm run retention -- --dry-run` lists the same and changes nothing; without it the job runs', async () => {
    await setPeriods(12);
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: t.database.connectionString,
      SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
      LOG_LEVEL: 'warn',
    };
    delete (env as Record<string, string | undefined>).DATA_DIR;
    const dry = await run('npm', ['run', '-s', 'retention', '--', '--dry-run'], { env, cwd: process.cwd(), timeout: 180_000 });
    expect(dry.stdout).toContain(`participant ${due}: Achternaam${SECRET}Proef, ${SECRET}Proef (closed 2025-06-30`);
    expect(dry.stdout).toContain('Dry run: 1 file(s) would be erased');
    expect((await participantRow(due)).erased_at).toBeNull();
    const real = await run('npm', ['run', '-s', 'retention'], { env, cwd: process.cwd(), timeout: 180_000 });
    expect(real.stdout).toContain('retention: 1 file(s) erased');
    expect((await participantRow(due)).erased_at).not.toBeNull();
  }, 240_000);
});

describe('erasure on request', () => {
  test('the confirmation page shows what goes and what stays; the erasure needs a reason, is audited, and subject access then answers with its date', async () => {
    const id = await fullFile('Verzoek', '2026-11-20');
    const agent = await signedInAgent(t.app, admin);
    const confirm = await agent.get(`/participants/${id}/erase`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Wat verdwijnt');
    expect(confirm.text).toContain('Wat blijft');
    expect(confirm.text).toContain(pseudonymOf(t.config.pseudonymSecret, id));
    expect(confirm.text).toContain('2 contactmoment(en) met datum, kanaal, uitkomst en duur (1 uur)');
    expect(confirm.text).toContain('De vragen om ondersteuning aan de teamleider en de antwoorden erop (2)');
    expect((await participantRow(id)).erased_at).toBeNull();

    const noReason = await postForm(agent, `/participants/${id}/erase`, { reason: '  ' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Vul dit veld in.');
    expect((await participantRow(id)).erased_at).toBeNull();

    const before = await figuresOf(id);
    const erased = await postForm(agent, `/participants/${id}/erase`, { reason: 'Brief van de deelnemer, 20 november' });
    expect(erased.status).toBe(303);
    const row = await participantRow(id);
    expect(row.erased_at).not.toBeNull();
    expect(await figuresOf(id)).toEqual(before);
    expect(await textsLeft('Verzoek')).toEqual([]);
    expect(await contactDetailsLeft(id)).toBe(0);
    // The placements import can no longer be undone: the job title it would put back is gone.
    const imported = await db
      .selectFrom('import_batch_records')
      .select(['batch_id', 'entity_id'])
      .where('participant_id', '=', id)
      .where('entity_type', '=', 'placement')
      .executeTakeFirstOrThrow();
    const undo = await postForm(agent, `/admin/import/batches/${imported.batch_id}/undo`, {});
    expect(undo.status).toBe(409);
    expect(
      (await db.selectFrom('placements').select('job_title').where('id', '=', imported.entity_id).executeTakeFirstOrThrow())
        .job_title,
    ).toBe(ERASED_TEXT);
    const event = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'erase')
      .where('participant_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_user_id: admin.id, details: { kind: 'request' } });
    expect(JSON.stringify(event.details)).not.toContain('Brief');

    // The audit log keeps its events but reads the person as erased: names are looked up when it is read.
    const log = await agent.get(`/admin/audit?participant=${id}`);
    expect(log.status).toBe(200);
    expect(log.text).toContain('een verwijderde deelnemer');
    expect(log.text).not.toContain('Verzoek');

    const after = await agent.get(`/participants/${id}/erase`);
    expect(after.text).toContain('Dit dossier is gewist');
    expect(after.text).toContain('Brief van de deelnemer, 20 november');
    const access = await agent.get(`/participants/${id}/subject-access`);
    expect(access.status).toBe(200);
    expect(access.text).toContain('is gewist op 23-11-2026');
    const download = await postForm(agent, `/participants/${id}/subject-access`, {});
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toContain('text/html');
    expect(download.text).toContain('is gewist op 23-11-2026');
    // A second erasure changes nothing.
    await postForm(agent, `/participants/${id}/erase`, { reason: 'nogmaals' });
    expect(
      (await db.selectFrom('participant_erasures').select('reason').where('participant_id', '=', id).executeTakeFirstOrThrow())
        .reason,
    ).toBe('Brief van de deelnemer, 20 november');
  });

  test('an open file cannot be erased: the page says to close it first, and a crafted post changes nothing', async () => {
    const id = await fullFile('NogOpen', null);
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get(`/participants/${id}/erase`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sluit het eerst');
    expect(page.text).not.toContain('action="/participants/' + id + '/erase"');
    const crafted = await postForm(agent, `/participants/${id}/erase`, { reason: 'toch' }, `/participants/${id}/erase`);
    expect(crafted.status).toBe(303);
    expect((await participantRow(id)).erased_at).toBeNull();
  });

  test('coaches and managers get 404 for the erasure', async () => {
    const id = await fullFile('Verboden', '2026-11-20');
    for (const user of [coach, manager]) {
      const agent = await signedInAgent(t.app, user);
      expect((await agent.get(`/participants/${id}/erase`)).status).toBe(404);
      expect((await postForm(agent, `/participants/${id}/erase`, { reason: 'x' }, '/dashboard')).status).toBe(404);
    }
    expect((await participantRow(id)).erased_at).toBeNull();
  });
});

describe('the settings page and the dashboard notice', () => {
  test('administrators are told on /dashboard until the period for closed files is set; others never', async () => {
    await setPeriods(null);
    const adminAgent = await signedInAgent(t.app, admin);
    expect((await adminAgent.get('/dashboard')).text).toContain('data-retention-notice');
    expect((await (await signedInAgent(t.app, manager)).get('/dashboard')).text).not.toContain('data-retention-notice');
    expect((await (await signedInAgent(t.app, coach)).get('/dashboard')).text).not.toContain('data-retention-notice');

    const form = await adminAgent.get('/admin/retention');
    expect(form.status).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(form.text)![1]!;
    const invalid = await postForm(adminAgent, '/admin/retention', {
      closedFilesMonths: 'twaalf',
      auditLogYears: '0',
      staffAnonymiseMonths: '',
      version,
    });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('value="twaalf"');
    expect(invalid.text).toContain('Vul een heel getal in.');
    expect(invalid.text).toContain('Vul een getal in binnen het toegestane bereik.');

    const saved = await postForm(adminAgent, '/admin/retention', {
      closedFilesMonths: '24',
      auditLogYears: '10',
      staffAnonymiseMonths: '3',
      version,
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/admin/retention?done=saved');
    const settings = await db.selectFrom('retention_settings').selectAll().executeTakeFirstOrThrow();
    expect(settings).toMatchObject({
      closed_files_months: 24,
      audit_log_years: 10,
      staff_anonymise_months: 3,
      updated_by: admin.id,
    });
    const event = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_type', '=', 'retention_settings')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.details).toEqual({
      changes: {
        closedFilesMonths: { from: null, to: 24 },
        auditLogYears: { from: 7, to: 10 },
        staffAnonymiseMonths: { from: null, to: 3 },
      },
    });
    expect((await adminAgent.get('/dashboard')).text).not.toContain('data-retention-notice');

    const stale = await postForm(adminAgent, '/admin/retention', {
      closedFilesMonths: '',
      auditLogYears: '7',
      staffAnonymiseMonths: '',
      version,
    });
    expect(stale.status).toBe(409);
    expect(
      (await db.selectFrom('retention_settings').select('closed_files_months').executeTakeFirstOrThrow()).closed_files_months,
    ).toBe(24);
  });

  test('the settings, the dry run and the erasure are for administrators only', async () => {
    for (const user of [coach, manager]) {
      const agent = await signedInAgent(t.app, user);
      expect((await agent.get('/admin/retention')).status).toBe(404);
      expect((await agent.get('/admin/retention/dry-run')).status).toBe(404);
    }
  });
});
