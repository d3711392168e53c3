import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type TestAgent from 'supertest/lib/agent';
import { FixedClock } from '../../src/lib/clock';
import { createFormatters } from '../../src/lib/format';
import { translatorFor } from '../../src/messages';
import { changeTexts } from '../../src/imports/presentation';
import { findRiskStateDifferences, findRiskTallyDifferences } from '../../src/risk/state';
import { createTestUser, csrfToken, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertCommissioner, postForm } from '../helpers/fixtures';

// /admin/import end to end through the app, with real files made here: an XLSX written by exceljs
// (with a formula cell and broken rows), a Windows-1252 CSV written by iconv-lite with `;`, a UTF-8
// CSV with a byte-order mark and `,`. Runs on both databases (TEST_DATABASE_URL for PostgreSQL).

let t: TestApp;
let admin: UserFixture;
let coach: UserFixture;
let agent: TestAgent;
const clock = new FixedClock('2026-11-23T10:00:00+01:00');

beforeAll(async () => {
  t = await startTestApp({ clock });
  admin = await createTestUser(t.database, { role: 'admin' });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team A', email: 'lotte@example.test' });
  await insertCommissioner(t.database.db, { name: 'UWV', kind: 'uwv' });
  agent = await signedInAgent(t.app, admin);
});

afterAll(async () => {
  await t.close();
});

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Blad1');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function upload(kind: string, content: Buffer, fileName: string) {
  const token = await csrfToken(agent, '/admin/import');
  return agent
    .post(`/admin/import?_csrf=${encodeURIComponent(token)}`)
    .field('kind', kind)
    .attach('file', content, fileName);
}

/** Uploads the file and returns its dry run page. */
async function preview(kind: string, content: Buffer, fileName: string) {
  const uploaded = await upload(kind, content, fileName);
  expect(uploaded.status).toBe(303);
  expect(uploaded.headers.location).toBe('/admin/import/preview');
  return agent.get('/admin/import/preview');
}

async function runImport() {
  const token = await csrfToken(agent, '/admin/import/preview');
  const response = await agent.post('/admin/import/run').type('form').send({ _csrf: token });
  return response;
}

function count(html: string, which: string): number {
  const match = new RegExp(`data-count="${which}">([^<]*)<`).exec(html);
  if (!match) throw new Error(`no count ${which} in the page`);
  return Number(match[1]!.replace(/\D/g, ''));
}

const rowCount = async (table: 'participants' | 'trajectories' | 'employers' | 'employer_contacts' | 'placements') =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function expectRiskStateConsistent() {
  expect(await findRiskStateDifferences(t.database.db, clock.now(), 'Europe/Amsterdam')).toEqual([]);
  expect(await findRiskTallyDifferences(t.database.db)).toEqual([]);
}

const PARTICIPANT_HEADERS = [
  'Referentie',
  'Voornaam',
  'Achternaam',
  'Geboortedatum',
  'Jobcoach (e-mail)',
  'Opdrachtgever',
  'Start traject',
  'Geplande einddatum',
  'Toegekende uren',
];

describe('participants from an XLSX written by exceljs', () => {
  const rows = [
    PARTICIPANT_HEADERS,
    ['INB-001', 'Noor', 'Jansen', new Date(Date.UTC(1990, 4, 17)), 'lotte@example.test', 'UWV', '01-10-2026', '2027-03-31', 120],
    ['INB-002', 'Daan', 'de Vries', '03-02-1985', 'LOTTE@example.test', 'UWV', '2026-12-15', '', '80'],
    [null, 'Sem', 'Bakker', '1979-09-09', 'lotte@example.test', null, null, null, null],
  ];
  let batchUrl: string;

  test('the dry run counts what would be created and writes nothing', async () => {
    const page = await preview('participants', await xlsx(rows), 'deelnemers.xlsx');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Dit is een proefrun');
    expect(count(page.text, 'create')).toBe(3);
    expect(count(page.text, 'update')).toBe(0);
    expect(await rowCount('participants')).toBe(0);
    const uploads = await t.database.db.selectFrom('import_uploads').select('user_id').execute();
    expect(uploads).toEqual([{ user_id: admin.id }]);
  });

  test('the import creates participants with their trajectories and stored risk state, audited', async () => {
    const response = await runImport();
    expect(response.status).toBe(303);
    batchUrl = response.headers.location!.split('?')[0]!;
    expect(batchUrl).toMatch(/^\/admin\/import\/batches\/\d+$/);
    const stored = await t.database.db
      .selectFrom('participants')
      .select(['id', 'first_name', 'last_name', 'date_of_birth', 'external_reference', 'coach_id', 'status'])
      .orderBy('id')
      .execute();
    expect(stored.map((p) => [p.first_name, p.date_of_birth, p.external_reference, p.coach_id, p.status])).toEqual([
      ['Noor', '1990-05-17', 'INB-001', coach.id, 'active'],
      ['Daan', '1985-02-03', 'INB-002', coach.id, 'intake'],
      ['Sem', '1979-09-09', null, coach.id, 'intake'],
    ]);
    const trajectories = await t.database.db
      .selectFrom('trajectories')
      .select(['participant_id', 'start_date', 'planned_end_date', 'granted_hours', 'kind'])
      .orderBy('participant_id')
      .execute();
    expect(trajectories).toEqual([
      {
        participant_id: stored[0]!.id,
        start_date: '2026-10-01',
        planned_end_date: '2027-03-31',
        granted_hours: '120.00',
        kind: 'jobcoaching',
      },
      {
        participant_id: stored[1]!.id,
        start_date: '2026-12-15',
        planned_end_date: null,
        granted_hours: '80.00',
        kind: 'jobcoaching',
      },
    ]);
    const states = await t.database.db.selectFrom('participant_risk_states').select('participant_id').execute();
    expect(states).toHaveLength(3);
    await expectRiskStateConsistent();

    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'entity_type', 'details', 'participant_id'])
      .where('actor_user_id', '=', admin.id)
      .where('entity_type', 'in', ['participant', 'trajectory', 'import_batch'])
      .execute();
    expect(events.filter((e) => e.entity_type === 'participant')).toHaveLength(3);
    expect(events.filter((e) => e.entity_type === 'trajectory')).toHaveLength(2);
    const summary = events.find((e) => e.entity_type === 'import_batch')!;
    expect(summary.details).toMatchObject({ kind: 'participants', created: 3, updated: 0, skipped: 0 });
    // Ids and coded values only: no name, reference or date of birth in any detail.
    expect(JSON.stringify(events.map((e) => e.details))).not.toMatch(/Noor|Jansen|INB-001|1990/);
    const page = await agent.get(batchUrl);
    expect(page.status).toBe(200);
    expect(count(page.text, 'created')).toBe(3);
  });

  test('the same file again skips every row and says so; a changed row is an update', async () => {
    const again = await preview('participants', await xlsx(rows), 'deelnemers.xlsx');
    expect([count(again.text, 'create'), count(again.text, 'update'), count(again.text, 'skip')]).toEqual([0, 0, 3]);
    const changed = rows.map((row) => [...row]);
    changed[1]![8] = 150; // more granted hours for INB-001
    changed[3]![1] = 'Sem'; // unchanged: matched by name and birth date without a reference
    const page = await preview('participants', await xlsx(changed), 'deelnemers-2.xlsx');
    expect([count(page.text, 'create'), count(page.text, 'update'), count(page.text, 'skip')]).toEqual([0, 1, 2]);
    const response = await runImport();
    expect(response.status).toBe(303);
    expect(await rowCount('participants')).toBe(3);
    const hours = await t.database.db.selectFrom('trajectories').select('granted_hours').orderBy('id').execute();
    expect(hours.map((h) => h.granted_hours)).toEqual(['150.00', '80.00']);
    await expectRiskStateConsistent();
    // That second batch changed one trajectory: undo puts the 120 hours back.
    const batch = response.headers.location!.split('?')[0]!;
    const token = await csrfToken(agent, `${batch}/undo`);
    const undone = await agent.post(`${batch}/undo`).type('form').send({ _csrf: token });
    expect(undone.status).toBe(303);
    const restored = await t.database.db.selectFrom('trajectories').select('granted_hours').orderBy('id').execute();
    expect(restored.map((h) => h.granted_hours)).toEqual(['120.00', '80.00']);
    await expectRiskStateConsistent();
  });

  test('undo is refused once a record has changed since, and deletes what the batch created otherwise', async () => {
    // The first batch's trajectory was changed since (by the second batch and its undo): refused.
    const page = await agent.get(`${batchUrl}/undo`);
    expect(page.text).toContain('Ongedaan maken kan niet meer');
    const token = await csrfToken(agent, '/admin/import');
    const refused = await agent.post(`${batchUrl}/undo`).type('form').send({ _csrf: token });
    expect(refused.status).toBe(409);
    expect(await rowCount('participants')).toBe(3);

    await preview(
      'participants',
      await xlsx([
        PARTICIPANT_HEADERS,
        ['INB-010', 'Lena', 'Smits', '2001-01-01', 'lotte@example.test', 'UWV', '2026-11-01', '', '40'],
      ]),
      'een.xlsx',
    );
    const imported = await runImport();
    const batch = imported.headers.location!.split('?')[0]!;
    expect(await rowCount('participants')).toBe(4);
    // A participant the batch created changed since: refused; back as it was: undone.
    const lena = await t.database.db
      .selectFrom('participants')
      .select(['id', 'version'])
      .where('external_reference', '=', 'INB-010')
      .executeTakeFirstOrThrow();
    await t.database.db
      .updateTable('participants')
      .set({ version: lena.version + 1 })
      .where('id', '=', lena.id)
      .execute();
    expect((await agent.post(`${batch}/undo`).type('form').send({ _csrf: token })).status).toBe(409);
    await t.database.db.updateTable('participants').set({ version: lena.version }).where('id', '=', lena.id).execute();
    const undone = await agent.post(`${batch}/undo`).type('form').send({ _csrf: token });
    expect(undone.status).toBe(303);
    expect(await rowCount('participants')).toBe(3);
    expect(await rowCount('trajectories')).toBe(2);
    await expectRiskStateConsistent();
    const undo = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'undo')
      .where('entity_type', '=', 'import_batch')
      .execute();
    expect(undo).toHaveLength(2);
    const shown = await agent.get(batch);
    expect(shown.text).toContain('Ongedaan gemaakt');
  });
});

describe('problems by row and column', () => {
  test('formula cells, invalid dates, unknown coaches, duplicates and empty required fields are listed; nothing is imported', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Blad1');
    sheet.addRow(PARTICIPANT_HEADERS);
    sheet.addRow(['R-1', 'Anna', 'Peeters', '1991-01-01', 'lotte@example.test', 'UWV', '2026-11-01', '', '']);
    sheet.addRow(['R-2', 'Bram', 'Claes', '31-13-1990', 'niemand@example.test', '', '', '', '']);
    sheet.addRow(['R-3', 'Chris', 'Maes', '1992-02-02', 'nobody@example.test', '', '', '', '']);
    sheet.addRow(['R-1', 'Dana', 'Wouters', '1993-03-03', 'lotte@example.test', '', '', '', '']);
    sheet.addRow(['R-5', '', 'Leeg', '1994-04-04', 'lotte@example.test', '', '', '', '']);
    sheet.addRow(['R-6', 'Eva', 'Formule', '1995-05-05', 'lotte@example.test', '', '', '', '']);
    sheet.getCell('I7').value = { formula: 'SUM(1,2)', result: 3, date1904: false };
    sheet.addRow(['R-7', 'Fien', 'Onbekend', '1996-06-06', 'lotte@example.test', 'Gemeente Nergens', '2026-11-01', '', '']);
    const page = await preview('participants', Buffer.from(await workbook.xlsx.writeBuffer()), 'fouten.xlsx');
    expect(page.status).toBe(200);
    const rows = [
      ...page.text.matchAll(
        /<tr>\s*<td[^>]*data-line="(\d+)"[^>]*>[^<]*<\/td>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>/g,
      ),
    ].map((m) => [Number(m[1]), m[2], m[3]!.replace(/&#34;|&quot;/g, '"')]);
    expect(rows).toEqual([
      [3, 'Geboortedatum', 'Ongeldige datum "31-13-1990": gebruik dd-mm-jjjj of jjjj-mm-dd.'],
      [3, 'Jobcoach (e-mail)', 'Onbekende jobcoach "niemand@example.test": geen actieve jobcoach met dit e-mailadres.'],
      [4, 'Jobcoach (e-mail)', 'Onbekende jobcoach "nobody@example.test": geen actieve jobcoach met dit e-mailadres.'],
      [5, 'Referentie', 'Dubbele referentie in het bestand (ook in rij 2).'],
      [6, 'Voornaam', 'Verplicht veld is leeg.'],
      [7, 'Toegekende uren', 'Formulecel: zet de waarde zelf in de cel, niet een formule.'],
      [8, 'Opdrachtgever', 'Onbekende opdrachtgever "Gemeente Nergens".'],
    ]);
    expect(page.text).not.toContain('action="/admin/import/run"');
    const before = await rowCount('participants');
    const refused = await runImport();
    expect(refused.status).toBe(422);
    expect(await rowCount('participants')).toBe(before);
    expect(
      Number(
        (
          await t.database.db
            .selectFrom('import_batches')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('status', '=', 'staging')
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(0);
  });

  test('file names and cell values are shown as text, never as markup', async () => {
    const content = Buffer.from(
      'Referentie;Voornaam;Achternaam;Geboortedatum;Jobcoach (e-mail)\nX-1;<b>A</b>;B;<script>alert(1)</script>;"""><img src=x onerror=alert(2)>@x.test"\n',
    );
    const page = await preview('participants', content, '<img src=x onerror=alert(3)>.csv');
    expect(page.text).toContain('Proefrun van &lt;img src=x onerror=alert(3)&gt;.csv');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(page.text).not.toMatch(/<script>|<img /);
  });

  test('a CSV with an unclosed quote or an unreadable file says so', async () => {
    const broken = Buffer.from('Voornaam;Achternaam\n"Anna;Peeters\n');
    const page = await preview('participants', broken, 'kapot.csv');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/onleesbaar|ontbreken/);
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]);
    const unreadable = await preview('participants', zip, 'kapot.xlsx');
    expect(unreadable.text).toContain('Dit bestand kunnen we niet lezen');
  });
});

describe('CSV files as Excel writes them', () => {
  test('Windows-1252 with semicolons: accents arrive intact, and an unknown header is mapped by hand', async () => {
    const text = [
      'Referentie;Voornaam;Achternaam;Geboortedatum;Begeleider',
      'W-1;Zoë;Müller;12-08-1988;lotte@example.test',
      'W-2;François;Dupré;01-01-1970;lotte@example.test',
    ].join('\r\n');
    const content = iconv.encode(text, 'win1252');
    expect(content.includes(Buffer.from('Zoë', 'utf8'))).toBe(false);
    const mapping = await preview('participants', content, 'excel.csv');
    expect(mapping.text).toContain('Kolommen van excel.csv koppelen');
    expect(mapping.text).toContain('Begeleider');
    expect(mapping.text).toContain('Jobcoach (e-mail)');
    const token = await csrfToken(agent, '/admin/import/preview');
    const saved = await agent.post('/admin/import/mapping').type('form').send({ _csrf: token, col4: 'coachEmail' });
    expect(saved.status).toBe(303);
    const page = await agent.get('/admin/import/preview');
    expect(count(page.text, 'create')).toBe(2);
    expect((await runImport()).status).toBe(303);
    const names = await t.database.db
      .selectFrom('participants')
      .select(['first_name', 'last_name'])
      .where('external_reference', 'in', ['W-1', 'W-2'])
      .orderBy('external_reference')
      .execute();
    expect(names).toEqual([
      { first_name: 'Zoë', last_name: 'Müller' },
      { first_name: 'François', last_name: 'Dupré' },
    ]);
  });

  test('UTF-8 with a byte-order mark and commas, headers in English', async () => {
    const text =
      'Reference,First name,Last name,Date of birth,Job coach (email)\nU-1,Łukasz,Żółć,1999-12-31,lotte@example.test\n';
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const page = await preview('participants', content, 'utf8.csv');
    expect(count(page.text, 'create')).toBe(1);
    expect((await runImport()).status).toBe(303);
    const stored = await t.database.db
      .selectFrom('participants')
      .select(['first_name', 'last_name'])
      .where('external_reference', '=', 'U-1')
      .execute();
    expect(stored).toEqual([{ first_name: 'Łukasz', last_name: 'Żółć' }]);
    await expectRiskStateConsistent();
  });
});

describe('employers with contact persons, then placements', () => {
  test('employers matched by name and address, contacts by name; placements by participant, employer and start', async () => {
    const employers = await xlsx([
      ['Werkgever', 'Sector', 'Adres', 'Plaats', 'Contactpersoon', 'Rol contactpersoon', 'E-mail contactpersoon'],
      ['Kringloop Noord', 'Detailhandel', 'Havenstraat 1', 'Gent', 'Mieke Smet', 'Begeleider', 'mieke@kringloop.test'],
      ['Kringloop Noord', 'Detailhandel', 'Havenstraat 1', 'Gent', 'Jan Hof', 'HR', ''],
      ['Fietsatelier', 'Fietsenmakerij', 'Kerkstraat 9', 'Zwolle', '', '', ''],
    ]);
    const page = await preview('employers', employers, 'werkgevers.xlsx');
    expect([count(page.text, 'create'), count(page.text, 'update'), count(page.text, 'skip')]).toEqual([3, 0, 0]);
    expect((await runImport()).status).toBe(303);
    expect(await rowCount('employers')).toBe(2);
    expect(await rowCount('employer_contacts')).toBe(2);
    const again = await preview('employers', employers, 'werkgevers.xlsx');
    expect([count(again.text, 'create'), count(again.text, 'update'), count(again.text, 'skip')]).toEqual([0, 0, 3]);

    const placements = await xlsx([
      ['Referentie deelnemer', 'Werkgever', 'Soort plaatsing', 'Functie', 'Uren per week', 'Startdatum'],
      ['W-1', 'Kringloop Noord', 'Werkervaringsplek', 'Medewerker winkel', '16', '2026-11-02'],
      ['W-2', 'Fietsatelier', 'paid_job', 'Fietsenmaker', '32', '02-11-2026'],
      ['W-404', 'Fietsatelier', 'paid_job', 'Fietsenmaker', '32', '02-11-2026'],
      ['W-2', 'Onbekend BV', 'paid_job', 'Fietsenmaker', '20', '02-11-2026'],
      ['W-1', 'Fietsatelier', 'paid_job', 'Fietsenmaker', '99', '03-11-2026'],
    ]);
    const broken = await preview('placements', placements, 'plaatsingen.xlsx');
    expect(broken.text).toContain('Geen deelnemer met referentie');
    expect(broken.text).toContain('Onbekende werkgever');
    expect(broken.text).toContain('Moet tussen 0 en 60 liggen.');
    const fixed = await xlsx([
      ['Referentie deelnemer', 'Werkgever', 'Soort plaatsing', 'Functie', 'Uren per week', 'Startdatum'],
      ['W-1', 'Kringloop Noord', 'Werkervaringsplek', 'Medewerker winkel', '16', '2026-11-02'],
      ['W-2', 'Fietsatelier', 'paid_job', 'Fietsenmaker', '32,5', '02-11-2026'],
    ]);
    const ok = await preview('placements', fixed, 'plaatsingen.xlsx');
    expect(count(ok.text, 'create')).toBe(2);
    expect((await runImport()).status).toBe(303);
    const stored = await t.database.db
      .selectFrom('placements')
      .innerJoin('placement_hours', 'placement_hours.placement_id', 'placements.id')
      .select(['placements.kind', 'placements.job_title', 'placement_hours.hours_per_week'])
      .orderBy('placements.id')
      .execute();
    expect(stored).toEqual([
      { kind: 'work_experience', job_title: 'Medewerker winkel', hours_per_week: '16.0' },
      { kind: 'paid_job', job_title: 'Fietsenmaker', hours_per_week: '32.5' },
    ]);
    const withPlacement = await t.database.db
      .selectFrom('participant_risk_states')
      .innerJoin('participants', 'participants.id', 'participant_risk_states.participant_id')
      .select('participant_risk_states.has_active_placement')
      .where('participants.external_reference', 'in', ['W-1', 'W-2'])
      .execute();
    expect(withPlacement.map((row) => row.has_active_placement)).toEqual([true, true]);
    await expectRiskStateConsistent();
    const second = await preview('placements', fixed, 'plaatsingen.xlsx');
    expect(count(second.text, 'skip')).toBe(2);
  });
});

describe('hours per week of a placement imported again', () => {
  // The placements of the block above: W-1 at Kringloop Noord with 16 hours from 02-11-2026, W-2 at
  // Fietsatelier with 32,5. The clock's day, 23-11-2026, is the import day.
  const HEADERS = ['Referentie deelnemer', 'Werkgever', 'Soort plaatsing', 'Functie', 'Uren per week', 'Startdatum'];
  const file = (hoursOfW1: string) =>
    xlsx([
      HEADERS,
      ['W-1', 'Kringloop Noord', 'Werkervaringsplek', 'Medewerker winkel', hoursOfW1, '2026-11-02'],
      ['W-2', 'Fietsatelier', 'paid_job', 'Fietsenmaker', '32,5', '02-11-2026'],
    ]);
  let w1: { participantId: number; placementId: number; version: number };
  let batchUrl: string;
  let coachAgent: TestAgent;

  const hoursOfW1 = async () =>
    (
      await t.database.db
        .selectFrom('placement_hours')
        .select(['id', 'effective_from', 'hours_per_week', 'note', 'created_by'])
        .where('placement_id', '=', w1.placementId)
        .orderBy('effective_from')
        .execute()
    ).map((row) => ({ ...row, hours_per_week: Number(row.hours_per_week) }));

  const undo = async (batch: string) => postForm(agent, `${batch}/undo`, {}, batch);

  const batchOf = (response: { headers: Record<string, string> }) => response.headers.location!.split('?')[0]!;

  beforeAll(async () => {
    const row = await t.database.db
      .selectFrom('placements')
      .innerJoin('participants', 'participants.id', 'placements.participant_id')
      .select(['placements.id', 'placements.participant_id', 'placements.version'])
      .where('participants.external_reference', '=', 'W-1')
      .executeTakeFirstOrThrow();
    w1 = { participantId: row.participant_id, placementId: row.id, version: row.version };
    coachAgent = await signedInAgent(t.app, coach);
  });

  test('new hours are an update, said in words: from 16 to 32 from the import day', async () => {
    const page = await preview('placements', await file('32'), 'plaatsingen-2.xlsx');
    expect([count(page.text, 'create'), count(page.text, 'update'), count(page.text, 'skip')]).toEqual([0, 1, 1]);
    expect(page.text).toContain('Wat er verandert');
    expect(page.text).toMatch(
      /data-change-line="2"[^>]*>Rij 2<\/td>\s*<td[^>]*>Uren per week van 16 naar 32, vanaf 23-11-2026\.<\/td>/,
    );
    expect(page.text).not.toContain('data-change-line="3"');
    // The same words in English, and a figure with its decimal.
    const en = changeTexts(
      'placements',
      [
        { code: 'hours', from: 32.5, to: 20, date: '2026-11-23' },
        { code: 'fields', fields: ['jobTitle'] },
      ],
      translatorFor('en'),
      createFormatters('en', 'Europe/Amsterdam'),
      'en',
    );
    expect(en).toEqual(['Hours per week from 32.5 to 20, from 23/11/2026 on.', 'Changed: Job title.']);
    expect(await hoursOfW1()).toEqual([
      { id: expect.any(Number), effective_from: '2026-11-02', hours_per_week: 16, note: null, created_by: admin.id },
    ]);
  });

  test('the import records 32 from the import day as the app would; the history keeps 16 and the risk state follows', async () => {
    const response = await runImport();
    expect(response.status).toBe(303);
    batchUrl = batchOf(response);
    expect(await hoursOfW1()).toEqual([
      { id: expect.any(Number), effective_from: '2026-11-02', hours_per_week: 16, note: null, created_by: admin.id },
      { id: expect.any(Number), effective_from: '2026-11-23', hours_per_week: 32, note: null, created_by: admin.id },
    ]);
    // An hours change alone leaves the placement's own row (and version) as it was, as the hours form does.
    const placement = await t.database.db
      .selectFrom('placements')
      .select('version')
      .where('id', '=', w1.placementId)
      .executeTakeFirstOrThrow();
    expect(placement.version).toBe(w1.version);
    const profile = await agent.get(`/participants/${w1.participantId}`);
    expect(profile.text).toContain('vanaf 23-11-2026: 32 uur per week');
    expect(profile.text).toContain('vanaf 02-11-2026: 16 uur per week');
    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'entity_id', 'participant_id', 'details'])
      .where('action', '=', 'change_hours')
      .execute();
    expect(events).toEqual([
      {
        actor_user_id: admin.id,
        entity_id: String(w1.placementId),
        participant_id: w1.participantId,
        details: {
          effectiveFrom: '2026-11-23',
          hoursPerWeek: 32,
          replacedHoursPerWeek: null,
          importBatchId: Number(batchUrl.split('/').pop()),
          source: 'import',
        },
      },
    ]);
    await expectRiskStateConsistent();
    const batch = await agent.get(batchUrl);
    expect(count(batch.text, 'updated')).toBe(1);
    expect(count(batch.text, 'skipped')).toBe(1);
    expect(batch.text).toContain('Uren per week van plaatsingen aangemaakt: 1');
    expect(batch.text).toContain(`href="${batchUrl}/undo"`);
  });

  test('the same file again skips both rows, and a batch that changed nothing offers no undo', async () => {
    const page = await preview('placements', await file('32'), 'plaatsingen-2.xlsx');
    expect([count(page.text, 'create'), count(page.text, 'update'), count(page.text, 'skip')]).toEqual([0, 0, 2]);
    expect(page.text).not.toContain('Wat er verandert');
    const response = await runImport();
    expect(response.status).toBe(303);
    const nothing = batchOf(response);
    expect(await hoursOfW1()).toHaveLength(2);
    const shown = await agent.get(nothing);
    expect(count(shown.text, 'skipped')).toBe(2);
    expect(shown.text).not.toContain('Ongedaan maken');
    expect(shown.text).toContain('er is niets ongedaan te maken');
    expect((await agent.get(`${nothing}/undo`)).status).toBe(404);
    expect((await undo(nothing)).status).toBe(404);
  });

  test('undo removes the hours row the import added and nothing else', async () => {
    const undone = await undo(batchUrl);
    expect(undone.status).toBe(303);
    expect(await hoursOfW1()).toEqual([
      { id: expect.any(Number), effective_from: '2026-11-02', hours_per_week: 16, note: null, created_by: admin.id },
    ]);
    const w2 = await t.database.db
      .selectFrom('placement_hours')
      .innerJoin('placements', 'placements.id', 'placement_hours.placement_id')
      .select('placement_hours.hours_per_week')
      .where('placements.id', '<>', w1.placementId)
      .execute();
    expect(w2.map((row) => row.hours_per_week)).toEqual(['32.5']);
    const events = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'change_hours')
      .orderBy('id')
      .execute();
    expect(events[1]!.details).toEqual({
      effectiveFrom: '2026-11-23',
      hoursPerWeek: 16,
      replacedHoursPerWeek: 32,
      importBatchId: Number(batchUrl.split('/').pop()),
      source: 'import',
    });
    await expectRiskStateConsistent();
  });

  test('a row the app recorded on the import day is replaced, and undo puts it back', async () => {
    const changed = await postForm(coachAgent, `/participants/${w1.participantId}/placements/${w1.placementId}/hours`, {
      effectiveFrom: '23-11-2026',
      hoursPerWeek: '20',
      note: 'Proefweek',
    });
    expect(changed.status).toBe(303);
    const before = await hoursOfW1();
    expect(before[1]).toMatchObject({
      effective_from: '2026-11-23',
      hours_per_week: 20,
      note: 'Proefweek',
      created_by: coach.id,
    });
    const page = await preview('placements', await file('32'), 'plaatsingen-3.xlsx');
    expect(page.text).toContain('Uren per week van 20 naar 32, vanaf 23-11-2026.');
    const response = await runImport();
    expect(response.status).toBe(303);
    const batch = batchOf(response);
    expect(await hoursOfW1()).toEqual([
      before[0],
      { id: before[1]!.id, effective_from: '2026-11-23', hours_per_week: 32, note: null, created_by: admin.id },
    ]);
    expect((await agent.get(batch)).text).toContain('Uren per week van plaatsingen gewijzigd: 1');
    await expectRiskStateConsistent();
    expect((await undo(batch)).status).toBe(303);
    expect(await hoursOfW1()).toEqual(before);
    await expectRiskStateConsistent();
  });

  test('undo is refused once the placement’s hours were changed in the app since', async () => {
    await preview('placements', await file('24'), 'plaatsingen-4.xlsx');
    const response = await runImport();
    expect(response.status).toBe(303);
    const batch = batchOf(response);
    expect((await hoursOfW1()).map((row) => row.hours_per_week)).toEqual([16, 24]);
    // A later change of another day: the import's own row is untouched, the placement's version too.
    const later = await postForm(coachAgent, `/participants/${w1.participantId}/placements/${w1.placementId}/hours`, {
      effectiveFrom: '01-12-2026',
      hoursPerWeek: '28',
      note: '',
    });
    expect(later.status).toBe(303);
    const shown = await agent.get(batch);
    expect(shown.text).toContain('Ongedaan maken kan niet meer');
    expect(shown.text).not.toContain(`href="${batch}/undo"`);
    expect((await agent.get(`${batch}/undo`)).text).toContain('Ongedaan maken kan niet meer');
    expect((await undo(batch)).status).toBe(409);
    expect((await hoursOfW1()).map((row) => row.hours_per_week)).toEqual([16, 24, 28]);
  });

  test('an hours cut is a risk signal: the stored risk state is recomputed with the import and its undo', async () => {
    // Noor (INB-001) is active; a placement since 01-09-2026 has 8 weeks of history to compare with.
    const since = (hours: string) =>
      xlsx([HEADERS, ['INB-001', 'Fietsatelier', 'paid_job', 'Fietsenmaker', hours, '01-09-2026']]);
    const reasonsOfNoor = async () => {
      const state = await t.database.db
        .selectFrom('participant_risk_states')
        .innerJoin('participants', 'participants.id', 'participant_risk_states.participant_id')
        .select(['participant_risk_states.level', 'participant_risk_states.reasons'])
        .where('participants.external_reference', '=', 'INB-001')
        .executeTakeFirstOrThrow();
      return (state.reasons as Array<{ signal: string; figures: Record<string, unknown> }>).filter(
        (reason) => reason.signal === 'hours_drop',
      );
    };
    await preview('placements', await since('40'), 'noor.xlsx');
    const created = await runImport();
    expect(created.status).toBe(303);
    expect(await reasonsOfNoor()).toEqual([]);
    const page = await preview('placements', await since('16'), 'noor-2.xlsx');
    expect(page.text).toContain('Uren per week van 40 naar 16, vanaf 23-11-2026.');
    const response = await runImport();
    expect(response.status).toBe(303);
    expect(await reasonsOfNoor()).toEqual([
      expect.objectContaining({ figures: expect.objectContaining({ hoursThen: 40, hoursNow: 16 }) }),
    ]);
    await expectRiskStateConsistent();
    expect((await undo(batchOf(response))).status).toBe(303);
    expect(await reasonsOfNoor()).toEqual([]);
    await expectRiskStateConsistent();
    // The batch that created the placement: its hours are as it left them again, so it may be undone;
    // once the app changes them, it may not (the placement's version does not move with its hours).
    const creator = batchOf(created);
    expect((await agent.get(creator)).text).toContain(`href="${creator}/undo"`);
    const placement = await t.database.db
      .selectFrom('placements')
      .select(['id', 'participant_id'])
      .where('start_date', '=', '2026-09-01')
      .executeTakeFirstOrThrow();
    const changed = await postForm(coachAgent, `/participants/${placement.participant_id}/placements/${placement.id}/hours`, {
      effectiveFrom: '30-11-2026',
      hoursPerWeek: '36',
      note: '',
    });
    expect(changed.status).toBe(303);
    expect((await agent.get(creator)).text).toContain('Ongedaan maken kan niet meer');
    expect((await undo(creator)).status).toBe(409);
  });

  test('new hours for a paused placement are a problem, as the app allows no hours change then', async () => {
    const form = await coachAgent.get(`/participants/${w1.participantId}/placements/${w1.placementId}/pause`);
    const version = /name="version" value="(\d+)"/.exec(form.text)![1]!;
    const paused = await postForm(coachAgent, `/participants/${w1.participantId}/placements/${w1.placementId}/pause`, {
      pauseReason: 'Verbouwing',
      pausedSince: '23-11-2026',
      version,
    });
    expect(paused.status).toBe(303);
    const page = await preview('placements', await file('16'), 'plaatsingen-5.xlsx');
    expect(page.text).toContain('Deze plaatsing is gepauzeerd');
    expect(page.text).not.toContain('action="/admin/import/run"');
  });
});

describe('uploads', () => {
  test('a multipart post without its CSRF token is refused and stores nothing', async () => {
    await agent
      .post('/admin/import/discard')
      .type('form')
      .send({ _csrf: await csrfToken(agent, '/admin/import') });
    const response = await agent
      .post('/admin/import')
      .field('kind', 'participants')
      .attach('file', Buffer.from('a;b\n'), 'x.csv');
    expect(response.status).toBe(403);
    expect(await t.database.db.selectFrom('import_uploads').select('user_id').execute()).toEqual([]);
  });

  test('a file over 10 MB is refused with 413; no file or no kind is a clear 422', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 'a');
    const tooLarge = await upload('participants', big, 'groot.csv');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.text).toContain('groter dan 10 MB');
    const token = await csrfToken(agent, '/admin/import');
    const noFile = await agent.post(`/admin/import?_csrf=${encodeURIComponent(token)}`).field('kind', 'participants');
    expect(noFile.status).toBe(422);
    expect(noFile.text).toContain('Kies een bestand');
    const noKind = await agent
      .post(`/admin/import?_csrf=${encodeURIComponent(token)}`)
      .field('kind', 'x')
      .attach('file', Buffer.from('a'), 'a.csv');
    expect(noKind.status).toBe(422);
    const form = await agent.post('/admin/import').type('form').send({ _csrf: token, kind: 'participants' });
    expect(form.status).toBe(400);
  });

  test('an upload waits an hour, then the preview says it is gone', async () => {
    await preview('employers', await xlsx([['Werkgever'], ['Bakkerij']]), 'bakker.xlsx');
    clock.advance({ minutes: 61 });
    try {
      const page = await agent.get('/admin/import/preview');
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe('/admin/import?done=expired');
      const cleaned = await t.services.imports.cleanUpImports(clock.now().toJSDate());
      expect(cleaned).toEqual({ uploads: 1, batches: 0 });
    } finally {
      clock.advance({ minutes: -61 });
    }
  });

  test('templates download in the reader language as XLSX and CSV, and read back as their kind', async () => {
    const file = await agent
      .get('/admin/import/templates/participants.xlsx')
      .buffer(true)
      .parse((res, done) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () => done(null, Buffer.concat(parts)));
      });
    expect(file.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as ArrayBuffer);
    expect(workbook.worksheets[0]!.getRow(1).values).toEqual(
      expect.arrayContaining(['Referentie', 'Voornaam', 'Jobcoach (e-mail)']),
    );
    const csv = await agent.get('/admin/import/templates/placements.csv');
    expect(csv.status).toBe(200);
    expect(csv.text.replace(/^\uFEFF/, '').trim()).toBe(
      'Referentie deelnemer;Werkgever;Adres werkgever;Soort plaatsing;Functie;Uren per week;Startdatum;Geplande einddatum',
    );
    expect((await agent.get('/admin/import/templates/other.csv')).status).toBe(404);
  });
});
