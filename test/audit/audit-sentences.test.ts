import { execSync } from 'node:child_process';
import path from 'node:path';
import { FixedClock } from '../../src/lib/clock';
import { auditLogPage, namesForEvents } from '../../src/audit/service';
import { nameKey, wordEvent } from '../../src/audit/wording';
import { createFormatters } from '../../src/lib/format';
import { translatorFor } from '../../src/messages';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertCommissioner, insertContactMoment, insertParticipant, insertTrajectory } from '../helpers/fixtures';
import { QueryCounter } from '../helpers/query-counter';
import { parseCsv, rawBytes } from '../reports/files';

// Issue 20 item 5: the audit log reads like sentences in the reader's language, with names looked
// up as the log is read (one query per page), codes and times in words, and a CSV download.

const clock = new FixedClock('2026-12-06T10:00:00+01:00');
let t: TestApp;
let adminNl: UserFixture;
let adminEn: UserFixture;
let coach: UserFixture;
let manager: UserFixture;
let participantId: number;
let trajectoryId: number;
let commissionerId: number;

beforeAll(async () => {
  t = await startTestApp({ clock });
  adminNl = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Admin' });
  adminEn = await createTestUser(t.database, { role: 'admin', displayName: 'Eve English', locale: 'en' });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan Bakker' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  commissionerId = await insertCommissioner(t.database.db, { name: 'UWV Utrecht', kind: 'uwv' });
  participantId = await insertParticipant(t.database.db, {
    first_name: 'Lien',
    last_name: 'Peeters',
    coach_id: coach.id,
    status: 'active',
  });
  trajectoryId = await insertTrajectory(t.database.db, {
    participant_id: participantId,
    commissioner_id: commissionerId,
    kind: 'jobcoaching',
    reference: 'UWV-2026-0012',
    start_date: '2026-09-01',
    granted_hours: 40,
  });
  // The coach changes the coaching hours through the real form: the event the issue quotes.
  const agent = await signedInAgent(t.app, coach);
  const editPath = `/participants/${participantId}/trajectories/${trajectoryId}/edit`;
  const form = await agent.get(editPath);
  const saved = await agent
    .post(editPath)
    .type('form')
    .send({
      _csrf: csrfTokenFrom(form.text),
      commissionerId: String(commissionerId),
      kind: 'jobcoaching',
      reference: 'UWV-2026-0012',
      startDate: '01-09-2026',
      plannedEndDate: '',
      grantedHours: '60',
      version: '1',
    });
  expect(saved.status).toBe(303);
  await t.database.db
    .insertInto('audit_events')
    .values([
      {
        occurred_at: '2026-12-06T00:30:00Z',
        actor_user_id: coach.id,
        action: 'create',
        entity_type: 'trajectory',
        entity_id: String(trajectoryId),
        participant_id: participantId,
        details: JSON.stringify({
          commissionerId,
          kind: 'jobcoaching',
          startDate: '2026-09-01',
          occurredAt: '2026-12-06T00:30:00.000Z',
        }),
      },
      {
        occurred_at: '2026-12-05T08:00:00Z',
        actor_user_id: coach.id,
        action: 'close',
        entity_type: 'trajectory',
        entity_id: '424242',
        participant_id: participantId,
        details: JSON.stringify({ endDate: '2026-12-01', outcome: 'handover' }),
      },
      {
        occurred_at: '2026-12-04T08:00:00Z',
        actor_user_id: coach.id,
        action: 'update',
        entity_type: 'participant',
        entity_id: String(participantId),
        participant_id: participantId,
        details: JSON.stringify({ changed: ['phone', 'email'], note: 'x'.repeat(300) }),
      },
    ])
    .execute();
});
afterAll(() => t.close());

/** The Dutch-speaking administrator as the audit service sees them. */
function adminViewer() {
  return { userId: adminNl.id, role: 'admin' as const, teamId: null, today: '2026-12-06', timeZone: 'Europe/Amsterdam' };
}

describe('sentences', () => {
  test('a change reads as the issue asks, in English and in Dutch, in the organisation zone', async () => {
    const en = await (await signedInAgent(t.app, adminEn)).get('/admin/audit?action=update');
    expect(en.text).toContain('Daan Bakker changed the coaching hours of trajectory UWV-2026-0012 from 40 to 60');
    const nl = await (await signedInAgent(t.app, adminNl)).get('/admin/audit?action=update');
    expect(nl.text).toContain('Daan Bakker wijzigde traject UWV-2026-0012: toegekende uren van 40 naar 60');
    // Personal fields: which fields changed, never their values.
    expect(nl.text).toContain('Daan Bakker wijzigde deelnemer Lien Peeters: telefoon, e-mailadres');
  });

  test('ids read as names, codes as labels, instants in local time; no raw codes or UTC', async () => {
    const html = (await (await signedInAgent(t.app, adminNl)).get('/admin/audit?action=create')).text;
    expect(html).toContain('Daan Bakker legde traject UWV-2026-0012 vast');
    expect(html).toContain('Opdrachtgever:</span> UWV Utrecht');
    expect(html).toContain('Soort:</span> Jobcoaching');
    expect(html).toContain('Startdatum:</span> 01-09-2026');
    expect(html).toContain('Tijdstip:</span> 06-12-2026 01:30');
    expect(html).not.toContain('commissionerId');
    expect(html).not.toContain('>2026-12-06T00:30');
    expect(html).not.toContain('jobcoaching<');
  });

  test('a trajectory that is gone reads by its number; outcomes as plain labels, without the form hint', async () => {
    const nl = (await (await signedInAgent(t.app, adminNl)).get('/admin/audit?action=close')).text;
    expect(nl).toContain('Daan Bakker sloot traject #424242 af');
    expect(nl).toContain('Resultaat:</span> Overgedragen<');
    expect(nl).not.toContain('bijv. aan VDAB');
  });

  test('a participant without a name to read (erased) is "erased participant", in both languages', () => {
    const event = {
      id: 1,
      occurredAt: new Date('2026-12-01T10:00:00Z'),
      actorUserId: coach.id,
      actorName: 'Daan Bakker',
      action: 'view',
      entityType: 'participant',
      entityId: '77',
      participantId: 77,
      details: {},
    };
    const names = new Map<string, string | null>();
    const fmt = createFormatters('nl', 'Europe/Amsterdam');
    const nl = wordEvent({ t: translatorFor('nl'), fmt, names }, event);
    expect(nl.sentence).toBe('Daan Bakker bekeek een verwijderde deelnemer');
    expect(nl.participant).toEqual({ id: 77, name: null });
    const en = wordEvent({ t: translatorFor('en'), fmt, names }, event);
    expect(en.sentence).toBe('Daan Bakker viewed an erased participant');
    // Found, the name is used.
    names.set(nameKey('participant', 77), 'Lien Peeters');
    expect(wordEvent({ t: translatorFor('en'), fmt, names }, event).sentence).toBe('Daan Bakker viewed participant Lien Peeters');
  });

  test('the details of sign-ins and imports read in words, not as stored keys and codes', () => {
    const fmt = createFormatters('nl', 'Europe/Amsterdam');
    const names = new Map<string, string | null>();
    const base = { id: 2, occurredAt: new Date('2026-12-01T10:00:00Z'), actorUserId: coach.id, actorName: 'Daan Bakker' };
    const login = { ...base, action: 'login', entityType: 'user', entityId: String(coach.id), participantId: null };
    expect(wordEvent({ t: translatorFor('nl'), fmt, names }, { ...login, details: { method: 'totp' } }).details).toEqual([
      ['Manier van aanmelden', 'code uit de authenticator-app'],
    ]);
    expect(wordEvent({ t: translatorFor('en'), fmt, names }, { ...login, details: { method: 'oidc' } }).details).toEqual([
      ['Sign-in method', 'single sign-on'],
    ]);
    const imported = { ...base, action: 'import', entityType: 'import_batch', entityId: '3', participantId: null };
    const details = { rows: 12, created: 10, updated: 1, skipped: 1 };
    expect(wordEvent({ t: translatorFor('en'), fmt, names }, { ...imported, details }).details).toEqual([
      ['Rows', '12'],
      ['Created', '10'],
      ['Updated', '1'],
      ['Skipped', '1'],
    ]);
  });

  test('a change of the caseload thresholds reads as a sentence, in both languages', () => {
    const names = new Map<string, string | null>();
    const thresholds = (changes: object) => ({
      id: 4,
      occurredAt: new Date('2026-12-01T10:00:00Z'),
      actorUserId: adminNl.id,
      actorName: 'Ada Admin',
      action: 'update',
      entityType: 'caseload_thresholds',
      entityId: null,
      participantId: null,
      details: { changes },
    });
    const sentence = (locale: 'nl' | 'en', changes: object) =>
      wordEvent({ t: translatorFor(locale), fmt: createFormatters(locale, 'Europe/Amsterdam'), names }, thresholds(changes))
        .sentence;
    const red = { redMax: { from: 2, to: 3 } };
    expect(sentence('nl', red)).toBe('Ada Admin wijzigde de drempels voor de caseloads: bovengrens rode deelnemers van 2 naar 3');
    expect(sentence('en', red)).toBe(
      'Ada Admin changed the upper limit for red participants of the caseload thresholds from 2 to 3',
    );
    const two = { reachedMinPercent: { from: 80, to: 50 }, overdueMax: { from: 3, to: 4 } };
    expect(sentence('nl', two)).toBe(
      'Ada Admin wijzigde de drempels voor de caseloads: ondergrens bereikt in 14 dagen van 80 % naar 50 %; bovengrens te late opvolgingen van 3 naar 4',
    );
    expect(sentence('en', two)).toBe(
      'Ada Admin changed the caseload thresholds: lower limit for reached in 14 days from 80 % to 50 %; upper limit for overdue follow-ups from 3 to 4',
    );
  });

  test('new hours from a day read as set, not as changed from an empty value; replaced hours name both', () => {
    const names = new Map<string, string | null>();
    const hours = (replacedHoursPerWeek: number | null) => ({
      id: 5,
      occurredAt: new Date('2026-12-01T10:00:00Z'),
      actorUserId: coach.id,
      actorName: 'Daan Bakker',
      action: 'change_hours',
      entityType: 'placement',
      entityId: '12',
      participantId: null,
      details: { effectiveFrom: '2026-12-07', hoursPerWeek: 32, replacedHoursPerWeek },
    });
    const word = (locale: 'nl' | 'en', replaced: number | null) =>
      wordEvent({ t: translatorFor(locale), fmt: createFormatters(locale, 'Europe/Amsterdam'), names }, hours(replaced));
    const added = word('nl', null);
    expect(added.sentence).toMatch(/^Daan Bakker zette de uren per week van .+ op 32, vanaf 07-12-2026$/);
    expect(added.details).toEqual([]);
    expect(word('en', null).sentence).toMatch(/^Daan Bakker set the hours per week of .+ to 32, from /);
    expect(word('nl', 16).sentence).toMatch(/^Daan Bakker wijzigde de uren per week van .+ van 16 naar 32, vanaf 07-12-2026$/);
    expect(word('en', 16).sentence).toMatch(/ from 16 to 32, from /);
  });

  test('a contact moment and a review sample read by when they took place or were drawn, with their number', async () => {
    const contactAt = async (participant: number, at: string) =>
      insertContactMoment(t.database.db, {
        participant_id: participant,
        author_id: coach.id,
        occurred_at: new Date(at),
        channel: 'phone',
        counterpart: 'participant',
        outcome: 'reached',
        duration_minutes: 20,
        summary: 'Gesproken over de week.',
      });
    const contactId = await contactAt(participantId, '2026-12-03T09:15:00Z');
    // An erased file keeps its contact rows (without texts): the log must not say when they were.
    const erasedId = await insertParticipant(t.database.db, {
      first_name: 'Wis',
      last_name: 'Mij',
      coach_id: coach.id,
      status: 'active',
    });
    const erasedContactId = await contactAt(erasedId, '2026-12-02T08:00:00Z');
    await t.database.db
      .updateTable('participants')
      .set({ status: 'closed', closed_on: '2026-12-04', erased_at: new Date() })
      .where('id', '=', erasedId)
      .execute();
    const sample = await t.database.db
      .insertInto('review_samples')
      .values({
        coach_id: coach.id,
        drawn_by: manager.id,
        drawn_at: new Date('2026-12-05T13:40:00Z'),
        period_days: 30,
        requested_size: 3,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const base = {
      occurredAt: new Date('2026-12-06T09:00:00Z'),
      actorUserId: manager.id,
      actorName: 'Mira Manager',
      details: {},
    };
    // As the app records them: a contact moment viewed, and a conversation of a sample reviewed.
    const viewed = { ...base, id: 11, action: 'view', entityType: 'contact_moment', entityId: String(contactId), participantId };
    const reviewed = {
      ...base,
      id: 12,
      action: 'review',
      entityType: 'review_item',
      entityId: '9',
      participantId,
      details: { sampleId: sample.id, contactMomentId: contactId },
    };
    const erased = { ...viewed, id: 13, entityId: String(erasedContactId), participantId: erasedId };
    const events = [viewed, reviewed, erased];
    const names = await namesForEvents(t.database.db, adminViewer(), events);
    const word = (locale: 'nl' | 'en', event: (typeof events)[number]) => {
      const worded = wordEvent({ t: translatorFor(locale), fmt: createFormatters(locale, 'Europe/Amsterdam'), names }, event);
      return [worded.sentence, ...worded.details.map(([label, value]) => `${label}: ${value}`)].join(' | ');
    };
    expect(word('nl', viewed)).toBe(`Mira Manager bekeek contactmoment 03-12-2026 10:15 (#${contactId})`);
    expect(word('nl', reviewed)).toContain(
      `Steekproef: 05-12-2026 14:40 (#${sample.id}) | Contactmoment: 03-12-2026 10:15 (#${contactId})`,
    );
    expect(word('en', reviewed)).toMatch(new RegExp(`Contact moment: .*2026.*10:15.* \\(#${contactId}\\)`));
    expect(word('nl', erased)).toBe(`Mira Manager bekeek contactmoment #${erasedContactId}`);
  });

  test('retention, erasure and import events read in words, in both languages, without stored codes', () => {
    const fmt = createFormatters('nl', 'Europe/Amsterdam');
    const names = new Map<string, string | null>();
    const at = { id: 3, occurredAt: new Date('2026-12-07T05:35:00Z') };
    const admin = { ...at, actorUserId: adminNl.id, actorName: 'Ada Admin' };
    const system = { ...at, actorUserId: null, actorName: null };
    const word = (locale: 'nl' | 'en', event: Parameters<typeof wordEvent>[1]) => {
      const worded = wordEvent({ t: translatorFor(locale), fmt, names }, event);
      return [worded.sentence, ...worded.details.map(([label, value]) => `${label}: ${value}`)];
    };
    const erasedOnRequest = {
      ...admin,
      action: 'erase',
      entityType: 'participant',
      entityId: '77',
      participantId: 77,
      details: { kind: 'request' },
    };
    expect(word('nl', erasedOnRequest)).toEqual([
      'Ada Admin wiste het dossier van een verwijderde deelnemer',
      'Soort: op verzoek (AVG art. 17)',
    ]);
    expect(word('en', erasedOnRequest)).toEqual([
      'Ada Admin erased the file of an erased participant',
      'Kind: on request (GDPR art. 17)',
    ]);
    const erasedByRetention = {
      ...system,
      action: 'erase',
      entityType: 'participant',
      entityId: '78',
      participantId: 78,
      details: { kind: 'retention', closedOn: '2026-10-30', keptMonths: 1 },
    };
    expect(word('nl', erasedByRetention)).toEqual([
      'Het systeem wiste het dossier van een verwijderde deelnemer',
      'Soort: bewaartermijn verlopen',
      'Afgesloten op: 30-10-2026',
      'Bewaartermijn (maanden): 1',
    ]);
    const confirmation = { ...admin, action: 'view', entityType: 'erasure', entityId: '77', participantId: 77, details: {} };
    expect(word('nl', confirmation)).toEqual(['Ada Admin bekeek de pagina om een dossier te wissen']);
    expect(word('en', confirmation)).toEqual(['Ada Admin viewed the page to erase a file']);
    const dryRun = {
      ...admin,
      action: 'dry_run',
      entityType: 'retention',
      entityId: null,
      participantId: null,
      details: { files: 5, accounts: 0, auditEvents: 0 },
    };
    expect(word('nl', dryRun)[0]).toBe('Ada Admin bekeek wat de bewaartermijnen nu zouden wissen (proefdraai)');
    expect(word('en', dryRun)[0]).toBe('Ada Admin looked at what retention would erase now (dry run)');
    const settings = {
      ...admin,
      action: 'update',
      entityType: 'retention_settings',
      entityId: '1',
      participantId: null,
      details: { changes: { closedFilesMonths: { from: null, to: 12 } } },
    };
    expect(word('nl', settings)).toEqual([
      'Ada Admin wijzigde de bewaartermijnen: gesloten dossiers bewaren (maanden) van — naar 12',
    ]);
    expect(word('en', settings)).toEqual([
      'Ada Admin changed the closed-file period (months) of the retention settings from — to 12',
    ]);
    const removed = {
      ...system,
      action: 'remove_expired',
      entityType: 'audit_log',
      entityId: null,
      participantId: null,
      details: { deleted: 12, keptYears: 7 },
    };
    expect(word('nl', removed)).toEqual([
      'Het systeem verwijderde verlopen gebeurtenissen uit het auditlog',
      'Verwijderd: 12',
      'Bewaartermijn (jaren): 7',
    ]);
    const anonymised = { ...system, action: 'anonymise', entityType: 'user', entityId: String(coach.id), participantId: null };
    names.set(nameKey('user', coach.id), 'Daan Bakker');
    expect(word('en', { ...anonymised, details: { keptMonths: 24 } })).toEqual([
      'The system anonymised user Daan Bakker',
      'Kept for (months): 24',
    ]);
    const batch = { ...admin, entityType: 'import_batch', entityId: '3', participantId: null };
    expect(word('nl', { ...batch, action: 'import', details: { kind: 'participants', rows: 3, created: 3 } })).toEqual([
      'Ada Admin importeerde een bestand (import #3)',
      'Soort: Deelnemers',
      'Regels: 3',
      'Aangemaakt: 3',
    ]);
    expect(word('en', { ...batch, action: 'undo', details: { kind: 'employers' } })).toEqual([
      'Ada Admin undid import #3',
      'Kind: Employers',
    ]);
    names.set(nameKey('participant', 79), 'Noor Visser');
    const record = {
      ...admin,
      action: 'create',
      entityType: 'participant',
      entityId: '79',
      participantId: null,
      details: { importBatchId: 3, source: 'import' },
    };
    expect(word('nl', record)).toEqual(['Ada Admin legde deelnemer Noor Visser vast', 'Import: 3', 'Bron: import']);
  });

  test('every action and kind of record the app writes to the log has a label in both languages', () => {
    const sources = execSync('grep -rhoE "(action|entityType): \'[a-z_]+\'" src', { cwd: path.resolve(__dirname, '../..') })
      .toString()
      .trim()
      .split('\n');
    const actions = new Set<string>();
    const entities = new Set<string>();
    for (const line of sources) {
      const [, key, code] = /^(action|entityType): '([a-z_]+)'$/.exec(line)!;
      (key === 'action' ? actions : entities).add(code!);
    }
    expect(actions.has('erase')).toBe(true);
    expect(entities.has('retention_settings')).toBe(true);
    const MISSING = '(no label)';
    for (const locale of ['nl', 'en'] as const) {
      const t = translatorFor(locale);
      const missing = [
        ...[...actions].filter((action) => t(`audit.actions.${action}`, { defaultValue: MISSING }) === MISSING),
        ...[...entities].filter((entity) => t(`audit.entities.${entity}`, { defaultValue: MISSING }) === MISSING),
      ];
      expect([locale, missing]).toEqual([locale, []]);
    }
  });

  test('names are looked up in one query for the whole page, however many events it shows', async () => {
    const counter = new QueryCounter();
    const db = t.database.db.withPlugin(counter);
    await auditLogPage(db, adminViewer(), {}, { limit: 2, offset: 0 });
    const few = counter.count;
    counter.count = 0;
    const many = await auditLogPage(db, adminViewer(), {}, { limit: 50, offset: 0 });
    expect(many.events.length).toBeGreaterThan(2);
    expect(counter.count).toBe(few);
    counter.count = 0;
    await auditLogPage(db, adminViewer(), {}, { limit: 1, offset: 0 });
    expect(counter.count).toBe(few);
  });
});

describe("the managers' tools read in words too", () => {
  test('a split stand-in, a support answer, rubric scores and a changed criterion: names and labels, never stored keys or codes', async () => {
    const sam = await insertParticipant(t.database.db, {
      first_name: 'Sam',
      last_name: 'Steun',
      coach_id: coach.id,
      status: 'active',
    });
    const colleague = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Fatima El Amrani' });
    const criterion = await t.database.db
      .insertInto('review_criteria')
      .values({ label: 'Luisterde en vatte samen', description: null, position: 1, created_by: adminNl.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The details as src/standins, src/support and src/reviews record them.
    const event = (action: string, entityType: string, entityId: string, participant: number | null, details: object) => ({
      occurred_at: '2026-12-06T09:30:00Z',
      actor_user_id: manager.id,
      action,
      entity_type: entityType,
      entity_id: entityId,
      participant_id: participant,
      details: JSON.stringify(details),
    });
    await t.database.db
      .insertInto('audit_events')
      .values([
        event('create', 'standin', '901', null, {
          absentCoachId: coach.id,
          standinCoachId: colleague.id,
          startsOn: '2026-12-07',
          endsOn: '2026-12-08',
          covers: 'participants',
          participantIds: [sam],
        }),
        event('answer', 'support_request', '902', sam, { teamId: null, coachId: coach.id }),
        event('review', 'review_item', '903', sam, { sampleId: 5, contactMomentId: 6, scores: { [String(criterion.id)]: 3 } }),
        event('update', 'review_criterion', String(criterion.id), null, { fields: ['label'] }),
      ])
      .execute();
    const nl = (await (await signedInAgent(t.app, adminNl)).get('/admin/audit?from=06-12-2026&to=06-12-2026')).text;
    expect(nl).toContain(`${manager.displayName} legde waarneming #901 vast`);
    expect(nl).toContain('Neemt waar voor:</span> gekozen deelnemers');
    expect(nl).toContain('Deelnemers:</span> Sam Steun');
    expect(nl).toContain(`${manager.displayName} beantwoordde ondersteuningsvraag #902`);
    expect(nl).toContain('Scores:</span> Luisterde en vatte samen: 3');
    expect(nl).toContain(`${manager.displayName} wijzigde beoordelingscriterium Luisterde en vatte samen: tekst`);
    const en = (await (await signedInAgent(t.app, adminEn)).get('/admin/audit?from=2026-12-06&to=2026-12-06')).text;
    expect(en).toContain('Covers:</span> chosen participants');
    expect(en).toContain('Participants:</span> Sam Steun');
    expect(en).toContain(`${manager.displayName} answered support question #902`);
    expect(en).toContain('Scores:</span> Luisterde en vatte samen: 3');
    expect(en).toContain(`${manager.displayName} changed review criterion Luisterde en vatte samen: wording`);
    for (const html of [nl, en]) {
      for (const raw of [
        'covers:',
        '>participants<',
        'scores:',
        'fields:',
        'Beantwoord –',
        'Answered –',
        'Ondersteuningsvraag #',
        'Beoordelingscriterium #',
      ]) {
        expect([raw, html.includes(raw)]).toEqual([raw, false]);
      }
    }
  });
});

describe('CSV download', () => {
  test('the filtered log as CSV with sentences and local times, itself recorded in the log', async () => {
    const agent = await signedInAgent(t.app, adminNl);
    const page = await agent.get(`/admin/audit?participant=Lien`);
    expect(page.text).toContain(`href="/admin/audit/export.csv?participant=${participantId}"`);
    const response = await agent.get(`/admin/audit/export.csv?participant=${participantId}`).buffer(true).parse(rawBytes);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="auditlog-2026-12-06.csv"');
    const text = (response.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text.slice(1), ';');
    expect(rows[0]).toEqual([
      'Gebeurtenisnummer',
      'Tijdstip',
      'Wie',
      'Gebeurtenis',
      'Deelnemer',
      'Details',
      'Actiecode',
      'Onderwerpcode',
      'Onderwerpnummer',
    ]);
    const sentences = rows.slice(1).map((row) => row[3]);
    expect(sentences).toContain('Daan Bakker wijzigde traject UWV-2026-0012: toegekende uren van 40 naar 60');
    expect(sentences).toContain('Daan Bakker legde traject UWV-2026-0012 vast');
    expect(sentences).toContain('Ada Admin exporteerde het auditlog');
    // The participant filter applies: every row is about Lien Peeters.
    expect(new Set(rows.slice(1).map((row) => row[4]))).toEqual(new Set(['Lien Peeters']));
    const created = rows.find((row) => row[3] === 'Daan Bakker legde traject UWV-2026-0012 vast')!;
    expect(created[1]).toBe('06-12-2026 01:30');
    expect(created[4]).toBe('Lien Peeters');
    expect(created[5]!.split(' | ').sort()).toEqual(
      ['Opdrachtgever: UWV Utrecht', 'Soort: Jobcoaching', 'Startdatum: 01-09-2026', 'Tijdstip: 06-12-2026 01:30'].sort(),
    );
    const recorded = await t.database.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'participant_id', 'details'])
      .where('entity_type', '=', 'audit_log')
      .executeTakeFirstOrThrow();
    expect(recorded).toEqual({ actor_user_id: adminNl.id, participant_id: participantId, details: { format: 'csv' } });
  });

  test('only administrators download; a name that fits several goes back to the page to choose', async () => {
    for (const user of [coach, manager]) {
      expect((await (await signedInAgent(t.app, user)).get('/admin/audit/export.csv')).status).toBe(404);
    }
    await insertParticipant(t.database.db, { first_name: 'Lien', last_name: 'Janssens', coach_id: coach.id, status: 'active' });
    const response = await (await signedInAgent(t.app, adminNl)).get('/admin/audit/export.csv?participant=Lien&action=view');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/admin/audit?participant=Lien&action=view');
  });

  test('a long log is written in batches, each row once, newest first', async () => {
    const base = Date.parse('2024-01-01T00:00:00Z');
    await t.database.db
      .insertInto('audit_events')
      .values(
        Array.from({ length: 1203 }, (_, index) => ({
          occurred_at: new Date(base + Math.floor(index / 3) * 60_000).toISOString(),
          actor_user_id: coach.id,
          action: 'view',
          entity_type: 'participant',
          entity_id: String(participantId),
          participant_id: participantId,
          details: JSON.stringify({}),
        })),
      )
      .execute();
    const response = await (
      await signedInAgent(t.app, adminEn)
    )
      .get('/admin/audit/export.csv?action=view&from=01/01/2024&to=31/12/2024')
      .buffer(true)
      .parse(rawBytes);
    const rows = parseCsv((response.body as Buffer).toString('utf8').slice(1), ',');
    const ids = rows.slice(1).map((row) => Number(row[0]));
    expect(ids).toHaveLength(1203);
    expect(new Set(ids).size).toBe(1203);
    expect(rows[1]![3]).toBe('Daan Bakker viewed participant Lien Peeters');
  });
});
