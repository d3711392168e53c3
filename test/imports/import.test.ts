import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type TestAgent from 'supertest/lib/agent';
import { FixedClock } from '../../src/lib/clock';
import { findRiskStateDifferences, findRiskTallyDifferences } from '../../src/risk/state';
import { createTestUser, csrfToken, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertCommissioner } from '../helpers/fixtures';

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
