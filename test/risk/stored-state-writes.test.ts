import { DateTime } from 'luxon';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import {
  handoverFormFields,
  insertCommissioner,
  insertContact,
  insertEmployer,
  insertParticipant,
  insertPlacement,
  insertTrajectory,
  versionFrom,
} from '../helpers/fixtures';
import { findRiskStateDifferences, findRiskTallyDifferences, refreshAllRiskStates } from '../../src/risk/state';
import { riskJobs } from '../../src/risk/jobs';
import { createJobRunner } from '../../src/platform/jobs';
import { FixedClock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';

// Every write that changes a risk fact keeps the stored state in its own transaction: after each
// write through the app the stored rows equal a fresh computation. The state is first brought up
// to date by hand (fixtures insert rows directly), so a write that forgets to refresh shows up.

const ZONE = 'Europe/Amsterdam';
const NOW = DateTime.fromISO('2026-11-23T09:00:00+01:00');
let t: TestApp;
let coach: UserFixture;
let admin: UserFixture;
let employer: { id: number; supervisorId: number };
let commissionerId: number;

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
  admin = await createTestUser(t.database, { role: 'admin' });
  const id = await insertEmployer(t.database.db, { name: 'Kringloop', sector: 'retail', city: 'Utrecht' });
  employer = {
    id,
    supervisorId: await insertContact(t.database.db, { employer_id: id, name: 'Piet', role: 'supervisor', phone: '0301234567' }),
  };
  commissionerId = await insertCommissioner(t.database.db, { name: 'UWV', kind: 'uwv', active: true });
});
afterAll(() => t.close());

/** The rows against a fresh computation, and the dashboard's tallies against the rows. */
async function differences() {
  return [...(await findRiskStateDifferences(t.database.db, NOW, ZONE)), ...(await findRiskTallyDifferences(t.database.db))];
}

/** A participant (in a trajectory since 01-09-2026 unless told not to), with the state up to date. */
async function participant(options: { trajectory?: boolean; placement?: boolean } = {}) {
  const id = await insertParticipant(t.database.db, {
    first_name: 'Sam',
    last_name: 'Smit',
    coach_id: coach.id,
    status: 'active',
  });
  let trajectoryId: number | null = null;
  if (options.trajectory !== false) {
    trajectoryId = await insertTrajectory(t.database.db, {
      participant_id: id,
      commissioner_id: commissionerId,
      kind: 'jobcoaching',
      start_date: '2026-09-01',
      granted_hours: 10,
    });
  }
  let placementId: number | null = null;
  if (options.placement) {
    placementId = await insertPlacement(
      t.database.db,
      {
        participant_id: id,
        employer_id: employer.id,
        supervisor_contact_id: employer.supervisorId,
        kind: 'paid_job',
        job_title: 'Magazijn',
        start_date: '2026-09-01',
      },
      { hoursPerWeek: 40 },
    );
  }
  await refreshAllRiskStates(t.database.db, NOW, ZONE);
  expect(await differences()).toEqual([]);
  return { id, trajectoryId: trajectoryId!, placementId: placementId! };
}

const contactFields = {
  occurredDate: '23-11-2026',
  occurredTime: '08:30',
  channel: 'phone',
  counterpart: 'participant',
  outcome: 'reached',
  durationMinutes: '10',
  summary: '',
  nextShortcut: '',
};

/** Posts like a browser: the form page's CSRF and one-time submission tokens with the fields. */
async function postForm(
  agent: Awaited<ReturnType<typeof signedInAgent>>,
  url: string,
  fields: Record<string, string>,
  page = url,
) {
  const html = (await agent.get(page)).text;
  const token = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
  const tokens = Object.fromEntries(
    (['_csrf', 'submissionToken'] as const).flatMap((name) => (token(name) ? [[name, token(name)!]] : [])),
  );
  return agent
    .post(url)
    .type('form')
    .send({ ...tokens, ...fields });
}

/** The stored level of end_of_trajectory (null: not flagged, not scored, or no row). */
async function levelOf(participantId: number) {
  const row = await t.database.db
    .selectFrom('participant_risk_states')
    .select('reasons')
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  const reasons = (row?.reasons ?? []) as Array<{ signal: string; level: string }>;
  return reasons.find((reason) => reason.signal === 'end_of_trajectory')?.level ?? null;
}

async function expectSaved(response: { status: number; text: string }) {
  if (response.status !== 303) throw new Error(`expected 303, got ${response.status}: ${response.text.slice(0, 2000)}`);
  expect(await differences()).toEqual([]);
}

describe('contacts', () => {
  test('the quick log from /today', async () => {
    const { id } = await participant();
    const agent = await signedInAgent(t.app, coach);
    await expectSaved(
      await postForm(
        agent,
        `/participants/${id}/contacts/new`,
        { ...contactFields, returnTo: '/today', outcome: 'not_reached', nextShortcut: '' },
        '/today',
      ),
    );
  });

  /** Every field of the log form, as a coach fills it in: reached, with wellbeing and a next contact. */
  const fullForm = {
    ...contactFields,
    channel: 'video',
    outcome: 'reached',
    durationMinutes: '30',
    summary: 'Gesprek over het rooster',
    employerId: '',
    employerContactId: '',
    wellbeingMood: '2',
    wellbeingRhythm: '1',
    wellbeingSocial: '1',
    wellbeingActivity: '3',
    nextContactDate: '26-11-2026',
    nextContactTime: '10:00',
    returnTo: '',
  };

  test('the full log form', async () => {
    const { id } = await participant();
    const agent = await signedInAgent(t.app, coach);
    await expectSaved(await postForm(agent, `/participants/${id}/contacts/new`, fullForm));
    // The write changed the facts: the stored row now has them (reached today, planned on 26-11).
    const [row] = await t.database.db
      .selectFrom('participant_risk_states')
      .select(['last_reached_on', 'next_contact_date', 'level'])
      .where('participant_id', '=', id)
      .execute();
    expect(row).toEqual({ last_reached_on: '2026-11-23', next_contact_date: '2026-11-26', level: 'red' });
  });

  test('editing a contact', async () => {
    const { id } = await participant();
    const agent = await signedInAgent(t.app, coach);
    await expectSaved(await postForm(agent, `/participants/${id}/contacts/new`, fullForm));
    const contact = await t.database.db
      .selectFrom('contact_moments')
      .select('id')
      .where('participant_id', '=', id)
      .executeTakeFirstOrThrow();
    const url = `/participants/${id}/contacts/${contact.id}/edit`;
    const version = versionFrom((await agent.get(url)).text);
    const { returnTo: _returnTo, nextShortcut: _nextShortcut, ...editable } = fullForm;
    // Not reached after all, no wellbeing check, no next contact: every stored fact changes.
    await expectSaved(
      await postForm(agent, url, {
        ...editable,
        outcome: 'not_reached',
        summary: '',
        wellbeingMood: '',
        wellbeingRhythm: '',
        wellbeingSocial: '',
        wellbeingActivity: '',
        nextContactDate: '',
        nextContactTime: '',
        version,
      }),
    );
    const [row] = await t.database.db
      .selectFrom('participant_risk_states')
      .select(['last_reached_on', 'next_contact_date', 'unreached_count'])
      .where('participant_id', '=', id)
      .execute();
    expect(row).toEqual({ last_reached_on: null, next_contact_date: null, unreached_count: 1 });
  });
});

describe('placements', () => {
  const base = (id: number, placementId: number) => `/participants/${id}/placements/${placementId}`;

  test('creating one', async () => {
    const { id } = await participant();
    const agent = await signedInAgent(t.app, coach);
    await expectSaved(
      await postForm(agent, `/participants/${id}/placements/new`, {
        employerId: String(employer.id),
        supervisorContactId: String(employer.supervisorId),
        kind: 'paid_job',
        jobTitle: 'Kassa',
        startDate: '02-11-2026',
        hoursPerWeek: '20',
      }),
    );
  });

  test.each([
    ['edit', { kind: 'paid_job', jobTitle: 'Magazijn', supervisorContactId: '', startDate: '01-12-2026' }],
    ['pause', { pauseReason: 'Ziek', pausedSince: '16-11-2026' }],
    ['end', { endDate: '20-11-2026', outcome: 'other' }],
    ['hours', { effectiveFrom: '23-11-2026', hoursPerWeek: '10', note: '' }],
  ])('%s', async (action, fields) => {
    const { id, placementId } = await participant({ placement: true });
    const agent = await signedInAgent(t.app, coach);
    const url = `${base(id, placementId)}/${action}`;
    const page = await agent.get(url);
    const version = /name="version" value="(\d+)"/.exec(page.text)?.[1];
    await expectSaved(await postForm(agent, url, { ...fields, ...(version ? { version } : {}) }));
  });

  // end_of_trajectory: each of these changes the level (the stored row must follow), so a write
  // that forgot to refresh leaves a difference.
  test.each([
    ['a planned end within 30 days (amber)', '10-12-2026', 'amber'],
    ['a planned end that has passed (red)', '20-11-2026', 'red'],
  ])('editing its planned end: %s', async (_label, plannedEndDate, level) => {
    const { id, placementId } = await participant({ placement: true });
    const agent = await signedInAgent(t.app, coach);
    const url = `${base(id, placementId)}/edit`;
    const fields = { kind: 'paid_job', jobTitle: 'Magazijn', supervisorContactId: '', startDate: '01-09-2026', plannedEndDate };
    await expectSaved(await postForm(agent, url, { ...fields, version: versionFrom((await agent.get(url)).text) }));
    expect(await levelOf(id)).toBe(level);
  });

  test('creating one with a planned end that has passed', async () => {
    const { id } = await participant();
    const agent = await signedInAgent(t.app, coach);
    await expectSaved(
      await postForm(agent, `/participants/${id}/placements/new`, {
        employerId: String(employer.id),
        supervisorContactId: '',
        kind: 'paid_job',
        jobTitle: 'Kassa',
        startDate: '02-11-2026',
        plannedEndDate: '20-11-2026',
        hoursPerWeek: '20',
      }),
    );
    expect(await levelOf(id)).toBe('red');
  });

  test('resume', async () => {
    const { id, placementId } = await participant({ placement: true });
    const agent = await signedInAgent(t.app, coach);
    const pause = `${base(id, placementId)}/pause`;
    await expectSaved(
      await postForm(agent, pause, {
        pauseReason: 'Ziek',
        pausedSince: '16-11-2026',
        version: versionFrom((await agent.get(pause)).text),
      }),
    );
    const resume = `${base(id, placementId)}/resume`;
    await expectSaved(
      await postForm(agent, resume, {
        resumedOn: '23-11-2026',
        hoursPerWeek: '8',
        version: versionFrom((await agent.get(resume)).text),
      }),
    );
  });
});

describe('trajectories', () => {
  test('starting one', async () => {
    const { id } = await participant({ trajectory: false });
    const agent = await signedInAgent(t.app, coach);
    await expectSaved(
      await postForm(agent, `/participants/${id}/trajectories/new`, {
        commissionerId: String(commissionerId),
        kind: 'jobcoaching',
        reference: 'UWV-1',
        startDate: '01-10-2026',
        plannedEndDate: '28-02-2027',
        grantedHours: '10',
      }),
    );
  });

  test('editing its start', async () => {
    const { id, trajectoryId } = await participant();
    const agent = await signedInAgent(t.app, coach);
    const url = `/participants/${id}/trajectories/${trajectoryId}/edit`;
    const version = versionFrom((await agent.get(url)).text);
    await expectSaved(
      await postForm(agent, url, {
        commissionerId: String(commissionerId),
        kind: 'jobcoaching',
        reference: 'UWV-1',
        startDate: '01-11-2026',
        plannedEndDate: '28-02-2027',
        grantedHours: '10',
        version,
      }),
    );
  });

  test('editing its planned end into the warning period, then past it', async () => {
    const { id, trajectoryId } = await participant({ placement: true });
    const agent = await signedInAgent(t.app, coach);
    const url = `/participants/${id}/trajectories/${trajectoryId}/edit`;
    const fields = {
      commissionerId: String(commissionerId),
      kind: 'jobcoaching',
      reference: '',
      startDate: '01-09-2026',
      grantedHours: '10',
    };
    await expectSaved(
      await postForm(agent, url, { ...fields, plannedEndDate: '15-12-2026', version: versionFrom((await agent.get(url)).text) }),
    );
    expect(await levelOf(id)).toBe('amber');
    await expectSaved(
      await postForm(agent, url, { ...fields, plannedEndDate: '22-11-2026', version: versionFrom((await agent.get(url)).text) }),
    );
    expect(await levelOf(id)).toBe('red');
  });

  test('closing one past its planned end', async () => {
    const { id, trajectoryId } = await participant({ placement: true });
    await t.database.db
      .updateTable('trajectories')
      .set({ planned_end_date: '2026-11-01' })
      .where('id', '=', trajectoryId)
      .execute();
    await refreshAllRiskStates(t.database.db, NOW, ZONE);
    expect(await levelOf(id)).toBe('red');
    const agent = await signedInAgent(t.app, coach);
    const url = `/participants/${id}/trajectories/${trajectoryId}/close`;
    const handover = await handoverFormFields(t.database.db);
    await expectSaved(await postForm(agent, url, { endDate: '23-11-2026', outcome: 'handover', version: '1', ...handover }));
    expect(await levelOf(id)).toBeNull();
  });

  test('closing one', async () => {
    const { id, trajectoryId } = await participant();
    const agent = await signedInAgent(t.app, coach);
    const url = `/participants/${id}/trajectories/${trajectoryId}/close`;
    await expectSaved(await postForm(agent, url, { endDate: '20-11-2026', outcome: 'regular_job', version: '1' }));
  });
});

describe('participants', () => {
  test('registering one', async () => {
    const agent = await signedInAgent(t.app, coach);
    await expectSaved(
      await postForm(
        agent,
        '/participants',
        {
          firstName: 'Sem',
          lastName: 'de Jong',
          dateOfBirth: '14-02-1998',
          phone: '06 1234 5678',
          email: 'sem@example.test',
          preferredChannel: 'phone',
          status: 'active',
          externalReference: '',
        },
        '/participants/new',
      ),
    );
  });

  test('closing one', async () => {
    const { id } = await participant();
    const agent = await signedInAgent(t.app, coach);
    const url = `/participants/${id}/close`;
    const version = versionFrom((await agent.get(url)).text);
    await expectSaved(await postForm(agent, url, { closedOn: '23-11-2026', outcome: 'regular_job', version }));
  });
});

describe('acknowledgements (the state keeps whether the flag is seen)', () => {
  test('acknowledging a flag, then a snooze', async () => {
    const { id } = await participant();
    const stored = () =>
      t.database.db
        .selectFrom('participant_risk_states')
        .select(['acknowledged', 'valid_until'])
        .where('participant_id', '=', id)
        .executeTakeFirstOrThrow();
    expect((await stored()).acknowledged).toBe(false);
    const agent = await signedInAgent(t.app, coach);
    const url = `/participants/${id}/risk/acknowledge`;
    await expectSaved(await postForm(agent, url, { note: 'Gebeld, volgt', snoozeUntil: '' }));
    expect((await stored()).acknowledged).toBe(true);
    // A snooze ends by time alone: the row is due again the day after it.
    await expectSaved(await postForm(agent, url, { note: 'Op vakantie', snoozeUntil: '25-11-2026' }));
    expect(await stored()).toEqual({ acknowledged: true, valid_until: '2026-11-26' });
  });
});

describe('reassignments (the state names the coach)', () => {
  /** The form's own values (inputs and selected options), as a browser would post them back. */
  async function formValues(agent: Awaited<ReturnType<typeof signedInAgent>>, url: string) {
    const html = (await agent.get(url)).text;
    const values = Object.fromEntries(
      [...html.matchAll(/<input[^>]*name="(\w+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    for (const select of html.matchAll(/<select[^>]*name="(\w+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const selected = /<option value="([^"]*)"[^>]*selected/.exec(select[2]!);
      if (selected) values[select[1]!] = selected[1]!;
    }
    delete values._csrf;
    delete values.submissionToken;
    return values;
  }

  async function storedCoachOf(id: number) {
    const row = await t.database.db
      .selectFrom('participant_risk_states')
      .select('coach_id')
      .where('participant_id', '=', id)
      .executeTakeFirstOrThrow();
    return row.coach_id;
  }

  test('another coach chosen on the participant form', async () => {
    const { id } = await participant();
    const colleague = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
    const agent = await signedInAgent(t.app, admin);
    const url = `/participants/${id}/edit`;
    const values = await formValues(agent, url);
    await expectSaved(await postForm(agent, url, { ...values, coachId: String(colleague.id) }));
    expect(await storedCoachOf(id)).toBe(colleague.id);
  });

  test("a deactivated coach's caseload handed to a colleague", async () => {
    const leaving = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
    const { id } = await participant();
    await t.database.db.updateTable('participants').set({ coach_id: leaving.id }).where('id', '=', id).execute();
    await refreshAllRiskStates(t.database.db, NOW, ZONE);
    const agent = await signedInAgent(t.app, admin);
    const url = `/admin/users/${leaving.id}/deactivate`;
    await expectSaved(await postForm(agent, url, { reassignTo: String(coach.id) }));
    expect(await storedCoachOf(id)).toBe(coach.id);
  });
});

describe('risk settings', () => {
  test('a change recomputes every row, in the background', async () => {
    await participant();
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get('/admin/settings');
    const values = Object.fromEntries([...page.text.matchAll(/name="(\w+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    delete values._csrf;
    delete values.submissionToken;
    const response = await postForm(agent, '/admin/settings', { ...values, lastReachedAmberDays: '10' });
    await t.services.jobs.idle();
    await expectSaved(response);
  });
});

describe('the risk state upkeep job', () => {
  test('its run fills the rows no write made and recomputes rows of older settings', async () => {
    const { id: older } = await participant();
    // Inserted past the services, as a bulk import or the migration that added the table leaves it.
    const missing = await insertParticipant(t.database.db, {
      first_name: 'Bo',
      last_name: 'Bos',
      coach_id: coach.id,
      status: 'active',
    });
    await t.database.db
      .updateTable('participant_risk_states')
      .set((eb) => ({
        settings_version: eb('settings_version', '-', 1),
        level: null,
        reasons: null,
        trajectory_start_date: null,
      }))
      .where('participant_id', '=', older)
      .execute();
    expect((await findRiskStateDifferences(t.database.db, NOW, ZONE)).map((d) => [d.participantId, d.kind])).toEqual([
      [older, 'different'],
      [missing, 'missing'],
    ]);
    // The first look after start; the snapshot (after 23:59 only) is not due.
    const jobs = createJobRunner({
      jobs: riskJobs(t.database.db, { timeZone: ZONE, snapshotAt: '23:59' }),
      clock: new FixedClock(NOW),
      timeZone: ZONE,
      logger: createLogger('silent'),
    });
    try {
      await jobs.tick();
    } finally {
      await jobs.stop();
    }
    expect(await differences()).toEqual([]);
    expect(await t.database.db.selectFrom('risk_snapshot_runs').selectAll().execute()).toEqual([]);
  });
});
