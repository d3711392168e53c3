import { createHmac } from 'node:crypto';
import ExcelJS from 'exceljs';
import type TestAgent from 'supertest/lib/agent';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import {
  insertCommissioner,
  insertContactMoment,
  insertEmployer,
  insertGoal,
  insertParticipant,
  insertPlacement,
  insertTrajectory,
} from '../helpers/fixtures';
import { loadWorkbook, parseCsv, rawBytes, zipEntriesAsText } from './files';

// The period export of /reports/export for a known dataset. The clock stands on 23 November 2026,
// so the default period is the third quarter of 2026 (1 July – 30 September).

let t: TestApp;
let coach: UserFixture;
let manager: UserFixture;
let coachZuid: UserFixture;
let managerZuid: UserFixture;
let admin: UserFixture;
let gemeente: number;
let uwv: number;
const ids: Record<string, number> = {};

const TRICKY_REFERENCE = 'GZ;"1"\nA';
const TRICKY_FIRST = 'Jan "JJ"';
const TRICKY_LAST = 'Bakker; van\nDijk';

/** An instant given as a wall-clock time in Amsterdam. */
const amsterdam = (local: string) => new Date(`${local}+02:00`);

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan Coach' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  coachZuid = await createTestUser(t.database, { role: 'coach', team: 'Team Zuid', displayName: 'Zoë Zuid' });
  managerZuid = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid' });
  admin = await createTestUser(t.database, { role: 'admin', locale: 'en' });
  gemeente = await insertCommissioner(db, { name: 'Gemeente Zeist', kind: 'municipality' });
  uwv = await insertCommissioner(db, { name: 'UWV Utrecht', kind: 'uwv' });
  const employer = await insertEmployer(db, { name: 'Kringloop Zeist', sector: 'retail' });

  const participant = (key: string, coachId: number, first: string, last: string, extra: Record<string, string> = {}) =>
    insertParticipant(db, { first_name: first, last_name: last, coach_id: coachId, status: 'active', ...extra }).then((id) => {
      ids[key] = id;
      return id;
    });
  const trajectory = async (key: string, values: Parameters<typeof insertTrajectory>[1]) => {
    ids[key] = await insertTrajectory(db, values);
  };
  const contact = (participantId: number, at: Date, minutes: number, outcome: 'reached' | 'not_reached' = 'reached') =>
    insertContactMoment(db, {
      participant_id: participantId,
      author_id: coach.id,
      occurred_at: at,
      channel: 'phone',
      outcome,
      duration_minutes: minutes,
      summary: outcome === 'reached' ? 'Gesproken' : null,
    });

  // Annabel: an open trajectory with a reference full of CSV specials; contacts on both edges.
  const annabel = await participant('annabel', coach.id, 'Annabel', 'Vroegindeweij', {
    date_of_birth: '1990-05-17',
    external_reference: 'EXT-ANNA',
  });
  await trajectory('t1', {
    participant_id: annabel,
    commissioner_id: gemeente,
    kind: 'jobcoaching',
    reference: TRICKY_REFERENCE,
    start_date: '2026-03-01',
    planned_end_date: '2027-02-28',
    granted_hours: '10.00',
  });
  await contact(annabel, amsterdam('2026-02-20T10:00:00'), 60); // before the trajectory
  await contact(annabel, amsterdam('2026-04-10T10:00:00'), 90); // before the period
  await contact(annabel, amsterdam('2026-07-01T00:30:00'), 45); // first minutes of the period
  await contact(annabel, amsterdam('2026-08-15T14:00:00'), 120);
  await contact(annabel, amsterdam('2026-09-30T23:30:00'), 0, 'not_reached'); // last minutes of the period
  await contact(annabel, amsterdam('2026-10-01T00:10:00'), 60); // after the period
  await insertGoal(db, {
    participant_id: annabel,
    title: 'Doel 1',
    life_domain: 'work',
    status: 'achieved',
    achieved_on: '2026-08-01',
    created_by: coach.id,
    created_at: amsterdam('2026-03-10T10:00:00'),
  });
  await insertGoal(db, {
    participant_id: annabel,
    title: 'Doel 2',
    life_domain: 'social',
    created_by: coach.id,
    created_at: amsterdam('2026-05-01T10:00:00'),
  });
  await insertGoal(db, {
    participant_id: annabel,
    title: 'Doel 3, na de periode',
    life_domain: 'work',
    created_by: coach.id,
    created_at: amsterdam('2026-10-15T10:00:00'),
  });
  await insertGoal(db, {
    participant_id: annabel,
    title: 'Doel 4, na de periode behaald',
    life_domain: 'work',
    status: 'achieved',
    achieved_on: '2026-10-20',
    created_by: coach.id,
    created_at: amsterdam('2026-04-01T10:00:00'),
  });
  const running = await insertPlacement(
    db,
    { participant_id: annabel, employer_id: employer, kind: 'paid_job', job_title: 'Verkoper', start_date: '2026-05-01' },
    { hoursPerWeek: 16 },
  );
  await db
    .insertInto('placement_hours')
    .values([
      { placement_id: running, effective_from: '2026-09-01', hours_per_week: 24 },
      { placement_id: running, effective_from: '2026-10-10', hours_per_week: 32 },
    ])
    .execute();
  await insertPlacement(
    db,
    {
      participant_id: annabel,
      employer_id: employer,
      kind: 'volunteering',
      job_title: 'Vrijwilliger',
      start_date: '2026-01-01',
      end_date: '2026-09-30',
      status: 'ended',
    },
    { hoursPerWeek: 8 },
  );
  await insertPlacement(
    db,
    { participant_id: annabel, employer_id: employer, kind: 'paid_job', job_title: 'Later', start_date: '2026-10-05' },
    { hoursPerWeek: 4 },
  );

  // Jan: a name with CSV specials; closed in the period, more hours used than granted.
  const jan = await participant('jan', coach.id, TRICKY_FIRST, TRICKY_LAST, { date_of_birth: '1985-12-01' });
  await trajectory('t2', {
    participant_id: jan,
    commissioner_id: gemeente,
    kind: 'work_experience',
    reference: 'GZ-002',
    start_date: '2026-01-15',
    actual_end_date: '2026-08-31',
    outcome: 'regular_job',
    granted_hours: '5.00',
  });
  await contact(jan, amsterdam('2026-03-01T10:00:00'), 240);
  await contact(jan, amsterdam('2026-07-20T10:00:00'), 150);

  // Cor: no reference, starts on the period's last day, nothing granted.
  const cor = await participant('cor', coach.id, 'Cor', 'Zonderref');
  await trajectory('t3', {
    participant_id: cor,
    commissioner_id: gemeente,
    kind: 'other',
    reference: null,
    start_date: '2026-09-30',
    granted_hours: '0',
  });
  await contact(cor, amsterdam('2026-09-30T10:00:00'), 20);

  // Outside the period: ended the day before it, started the day after it.
  const before = await participant('before', coach.id, 'Bea', 'Ervoor');
  await trajectory('t4', {
    participant_id: before,
    commissioner_id: gemeente,
    kind: 'jobcoaching',
    reference: 'GZ-BEFORE',
    start_date: '2026-01-01',
    granted_hours: '4',
    actual_end_date: '2026-06-30',
    outcome: 'education',
  });
  const after = await participant('after', coach.id, 'Ad', 'Erna');
  await trajectory('t5', {
    participant_id: after,
    commissioner_id: gemeente,
    kind: 'jobcoaching',
    reference: 'GZ-AFTER',
    start_date: '2026-10-01',
    granted_hours: '4',
  });

  // Fleur: her municipal trajectory ended on the period's first day, a UWV one followed.
  const fleur = await participant('fleur', coach.id, 'Fleur', 'Wissel');
  await trajectory('t6', {
    participant_id: fleur,
    commissioner_id: gemeente,
    kind: 'reintegration',
    reference: 'GZ-004',
    start_date: '2026-01-01',
    actual_end_date: '2026-07-01',
    outcome: 'dropout',
    granted_hours: '20',
  });
  await trajectory('t7', {
    participant_id: fleur,
    commissioner_id: uwv,
    kind: 'jobcoaching',
    reference: 'UWV-007',
    start_date: '2026-07-02',
    granted_hours: '8',
  });
  await contact(fleur, amsterdam('2026-07-01T12:00:00'), 60);
  await contact(fleur, amsterdam('2026-07-02T12:00:00'), 30);

  // Gijs: ended after the period, so at its end the trajectory was still open.
  const gijs = await participant('gijs', coach.id, 'Gijs', 'Laterdicht');
  await trajectory('t9', {
    participant_id: gijs,
    commissioner_id: gemeente,
    kind: 'jobcoaching',
    reference: 'GZ-006',
    start_date: '2026-02-01',
    actual_end_date: '2026-10-15',
    outcome: 'education',
    granted_hours: '12.5',
  });

  // Another team's participant.
  const zuid = await participant('zuid', coachZuid.id, 'Zeno', 'Zuidelijk');
  await trajectory('t8', {
    participant_id: zuid,
    commissioner_id: gemeente,
    kind: 'jobcoaching',
    reference: 'GZ-005',
    start_date: '2026-06-01',
    granted_hours: '3',
  });
  await contact(zuid, amsterdam('2026-09-01T10:00:00'), 30);
});
afterAll(() => t.close());

const agents = new Map<number, TestAgent>();
async function agentFor(user: UserFixture): Promise<TestAgent> {
  if (!agents.has(user.id)) agents.set(user.id, await signedInAgent(t.app, user));
  return agents.get(user.id)!;
}

function exportUrl(fields: Record<string, string>): string {
  return `/reports/export?${new URLSearchParams(fields).toString()}`;
}

const q3 = (commissionerId: number, extra: Record<string, string> = {}) => ({
  commissionerId: String(commissionerId),
  periodKind: 'quarter',
  quarter: '2026-Q3',
  format: 'csv',
  separator: 'semicolon',
  ...extra,
});

async function download(user: UserFixture, fields: Record<string, string>) {
  const agent = await agentFor(user);
  return agent.get(exportUrl(fields)).buffer(true).parse(rawBytes);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function csvRows(user: UserFixture, fields: Record<string, string>): Promise<string[][]> {
  const response = await download(user, fields);
  expect(response.status).toBe(200);
  const body = response.body as Buffer;
  expect(body.subarray(0, 3).equals(BOM)).toBe(true);
  return parseCsv(body.subarray(3).toString('utf8'), fields.separator === 'comma' ? ',' : ';');
}

const DUTCH_HEADER = [
  'Referentie traject',
  'Deelnemer',
  'Geboortedatum',
  'Jobcoach',
  'Soort traject',
  'Startdatum',
  'Geplande einddatum',
  'Einddatum',
  'Status einde periode',
  'Uitkomst',
  'Coachingsuren in periode',
  'Coachingsuren totaal tot einde periode',
  'Toegekende uren',
  'Declarabele uren in periode',
  'Contactmomenten in periode',
  'Bereikt in periode',
  'Doelen behaald',
  'Doelen totaal',
  'Uren per week einde periode',
];

/** The manager's Q3 rows as the CSV should hold them, with the decimal separator of the file. */
function expectedManagerRows(decimal: ',' | '.'): string[][] {
  const d = (value: string) => value.replace('.', decimal);
  return [
    // prettier-ignore
    ['GZ-002', `${TRICKY_FIRST} ${TRICKY_LAST}`, '1985-12-01', 'Daan Coach', 'Werkervaringstraject', '2026-01-15', '', '2026-08-31', 'Afgesloten', 'Regulier werk', d('2.50'), d('6.50'), d('5.00'), d('1.00'), '1', '1', '0', '0', d('0.00')],
    // prettier-ignore
    ['GZ-004', 'Fleur Wissel', '', 'Daan Coach', 'Re-integratie', '2026-01-01', '', '2026-07-01', 'Afgesloten', 'Voortijdig gestopt', d('1.00'), d('1.00'), d('20.00'), d('1.00'), '1', '1', '0', '0', d('0.00')],
    // prettier-ignore
    ['GZ-006', 'Gijs Laterdicht', '', 'Daan Coach', 'Jobcoaching', '2026-02-01', '', '', 'Lopend', '', d('0.00'), d('0.00'), d('12.50'), d('0.00'), '0', '0', '0', '0', d('0.00')],
    // prettier-ignore
    [TRICKY_REFERENCE, 'Annabel Vroegindeweij', '1990-05-17', 'Daan Coach', 'Jobcoaching', '2026-03-01', '2027-02-28', '', 'Lopend', '', d('2.75'), d('4.25'), d('10.00'), d('2.75'), '3', '2', '1', '3', d('24.00')],
    // prettier-ignore
    ['', 'Cor Zonderref', '', 'Daan Coach', 'Anders', '2026-09-30', '', '', 'Lopend', '', d('0.33'), d('0.33'), d('0.00'), d('0.00'), '1', '1', '0', '0', d('0.00')],
  ];
}

describe('CSV', () => {
  test('a manager downloads the quarter for a commissioner: BOM, Dutch header, one exact row per trajectory of the team active in it', async () => {
    const response = await download(manager, q3(gemeente));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="periode-gemeente-zeist-2026-07-01-2026-09-30.csv"',
    );
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.body as Buffer;
    expect(body.subarray(0, 3).equals(BOM)).toBe(true);
    const text = body.subarray(3).toString('utf8');
    // The reference's and the name's separator, quote and line break are quoted, quotes doubled.
    expect(text).toContain('"GZ;""1""\nA"');
    expect(text).toContain('"Jan ""JJ"" Bakker; van\nDijk"');
    const rows = parseCsv(text, ';');
    // The participant's own reference (their profile's) is no commissioner's: never exported.
    expect(text).not.toContain('EXT-ANNA');
    expect(rows[0]).toEqual(DUTCH_HEADER);
    expect(rows.slice(1)).toEqual(expectedManagerRows(','));
  });

  test('with a comma separator the same rows have decimal points', async () => {
    const rows = await csvRows(manager, q3(gemeente, { separator: 'comma' }));
    expect(rows[0]).toEqual(DUTCH_HEADER);
    expect(rows.slice(1)).toEqual(expectedManagerRows('.'));
  });

  test('an admin gets every team and an English file; another team manager only their own team', async () => {
    const adminRows = await csvRows(admin, q3(gemeente, { separator: 'comma' }));
    expect(adminRows[0]![0]).toBe('Trajectory reference');
    expect(adminRows[0]).toContain('Billable hours in period');
    expect(adminRows.slice(1).map((row) => row[0])).toEqual(['GZ-002', 'GZ-004', 'GZ-005', 'GZ-006', TRICKY_REFERENCE, '']);
    const zeno = adminRows.find((row) => row[0] === 'GZ-005')!;
    expect(zeno.slice(1, 2)).toEqual(['Zeno Zuidelijk']);
    expect(zeno[8]).toBe('Open');
    expect(zeno.slice(10, 14)).toEqual(['0.50', '0.50', '3.00', '0.50']);

    const zuidRows = await csvRows(managerZuid, q3(gemeente));
    expect(zuidRows.slice(1).map((row) => row[0])).toEqual(['GZ-005']);
  });

  test("another commissioner's trajectories never appear, and a month is a period too", async () => {
    const uwvRows = await csvRows(manager, q3(uwv));
    expect(uwvRows.slice(1).map((row) => row[0])).toEqual(['UWV-007']);
    // Fleur's moment of 2 July counts for the UWV trajectory (it started that day), not the municipal one.
    expect(uwvRows[1]!.slice(10, 14)).toEqual(['0,50', '0,50', '8,00', '0,50']);

    const july = await csvRows(manager, {
      commissionerId: String(gemeente),
      periodKind: 'month',
      month: '2026-07',
      format: 'csv',
      separator: 'semicolon',
    });
    expect(july.slice(1).map((row) => row[0])).toEqual(['GZ-002', 'GZ-004', 'GZ-006', TRICKY_REFERENCE]);
    const annabel = july.find((row) => row[0] === TRICKY_REFERENCE)!;
    // In July only the moment just after midnight on 1 July: 45 minutes; up to 31 July 90 + 45.
    expect(annabel.slice(10, 16)).toEqual(['0,75', '2,25', '10,00', '0,75', '1', '1']);
    // Hours per week on 31 July: the running job (16) and the volunteering (8) that ended on 30 September.
    expect(annabel[18]).toBe('24,00');
  });

  test('a custom period in Dutch dates; the chosen kind decides which fields are read', async () => {
    const rows = await csvRows(manager, {
      commissionerId: String(gemeente),
      periodKind: 'custom',
      from: '01-09-2026',
      to: '2026-09-30',
      month: 'not a month',
      quarter: 'nonsense',
      format: 'csv',
      separator: 'semicolon',
    });
    expect(rows.slice(1).map((row) => row[0])).toEqual(['GZ-006', TRICKY_REFERENCE, '']);
    const annabel = rows.find((row) => row[0] === TRICKY_REFERENCE)!;
    expect(annabel.slice(10, 16)).toEqual(['0,00', '4,25', '10,00', '0,00', '1', '0']);
  });
});

describe('formulas', () => {
  test('text a spreadsheet would run as a formula is written as plain text', async () => {
    const db = t.database.db;
    const formulas = await insertCommissioner(db, { name: 'Formule & Co', kind: 'other' });
    const participant = await insertParticipant(db, {
      first_name: '=HYPERLINK("http://example.test")',
      last_name: 'X',
      coach_id: coach.id,
      status: 'active',
    });
    await insertTrajectory(db, {
      participant_id: participant,
      commissioner_id: formulas,
      kind: 'other',
      reference: '@SUM(A1)',
      start_date: '2026-07-01',
      granted_hours: '1',
    });
    const rows = await csvRows(manager, q3(formulas, { separator: 'comma' }));
    expect(rows[1]!.slice(0, 2)).toEqual(["'@SUM(A1)", '\'=HYPERLINK("http://example.test") X']);
    const response = await download(manager, q3(formulas, { format: 'xlsx' }));
    expect(response.headers['content-disposition']).toContain('filename="periode-formule-co-2026-07-01-2026-09-30.xlsx"');
    const workbook = await loadWorkbook(response.body as Buffer);
    const cell = workbook.getWorksheet(1)!.getCell('B2');
    // A text cell, not a formula: the spreadsheet shows it, never runs it.
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe('=HYPERLINK("http://example.test") X');
  });
});

describe('XLSX', () => {
  test('the workbook reopens with typed cells, a bold frozen header and a totals sheet', async () => {
    const response = await download(manager, q3(gemeente, { format: 'xlsx', separator: '' }));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="periode-gemeente-zeist-2026-07-01-2026-09-30.xlsx"',
    );
    const workbook = await loadWorkbook(response.body as Buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Trajecten', 'Totalen']);

    const data = workbook.getWorksheet('Trajecten')!;
    expect(data.rowCount).toBe(6);
    const header = data.getRow(1);
    expect((header.values as unknown[]).slice(1)).toEqual(DUTCH_HEADER);
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(data.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(data.getColumn(2).width).toBeGreaterThan(10);

    const annabel = data.getRow(5);
    expect(annabel.getCell(1).value).toBe(TRICKY_REFERENCE);
    expect(annabel.getCell(2).value).toBe('Annabel Vroegindeweij');
    const birth = annabel.getCell(3).value;
    expect(birth).toBeInstanceOf(Date);
    expect((birth as Date).toISOString()).toBe('1990-05-17T00:00:00.000Z');
    expect(annabel.getCell(3).numFmt).toBe('yyyy-mm-dd');
    expect((annabel.getCell(6).value as Date).toISOString().slice(0, 10)).toBe('2026-03-01');
    expect(annabel.getCell(8).value).toBeNull();
    expect(annabel.getCell(9).value).toBe('Lopend');
    for (const [column, hours] of [
      [11, 2.75],
      [12, 4.25],
      [13, 10],
      [14, 2.75],
      [19, 24],
    ] as const) {
      expect(annabel.getCell(column).value).toBe(hours);
      expect(annabel.getCell(column).numFmt).toBe('0.00');
    }
    expect([15, 16, 17, 18].map((column) => annabel.getCell(column).value)).toEqual([3, 2, 1, 3]);
    expect(annabel.getCell(15).numFmt).toBe('0');

    const jan = data.getRow(2);
    expect(jan.getCell(2).value).toBe(`${TRICKY_FIRST} ${TRICKY_LAST}`);
    expect((jan.getCell(8).value as Date).toISOString().slice(0, 10)).toBe('2026-08-31');
    expect(jan.getCell(10).value).toBe('Regulier werk');
    expect([12, 13, 14].map((column) => jan.getCell(column).value)).toEqual([6.5, 5, 1]);

    const totals = workbook.getWorksheet('Totalen')!;
    const figures = new Map<string, unknown>();
    totals.eachRow((row) => figures.set(row.getCell(1).text, row.getCell(2).value));
    expect(figures.get('Periode-export Gemeente Zeist')).toBeNull();
    expect(figures.get('Periode')).toBe('2026-07-01 – 2026-09-30');
    expect(figures.get('Gepseudonimiseerd')).toBe('Nee');
    expect(figures.get('Aantal trajecten')).toBe(5);
    expect(figures.get('Coachingsuren in periode')).toBe(6.58); // 2.50 + 1.00 + 0 + 2.75 + 0.33
    expect(figures.get('Coachingsuren totaal tot einde periode')).toBe(12.08);
    expect(figures.get('Toegekende uren')).toBe(47.5);
    // Per period: GZ-002 had 4.00 of its 5 granted hours before July, so 1.00 of its 2.50 is paid.
    expect(figures.get('Declarabele uren in periode')).toBe(4.75); // 1.00 + 1.00 + 0 + 2.75 + 0
    expect(figures.get('Contactmomenten in periode')).toBe(6);
    expect(figures.get('Bereikt in periode')).toBe(5);
    expect(figures.get('Doelen behaald')).toBe(1);
    expect(figures.get('Doelen totaal')).toBe(3);
    expect(figures.get('Lopend')).toBe(3);
    expect(figures.get('Afgesloten')).toBe(2);
    expect(figures.get('Regulier werk')).toBe(1);
    expect(figures.get('Voortijdig gestopt')).toBe(1);
    expect(figures.get('Opleiding')).toBe(0);
    // Outcomes as plain labels: the form's hint ("bijv. aan VDAB") stays in the form.
    expect(figures.get('Overgedragen')).toBe(0);
    expect([...figures.keys()].filter((label) => label.includes('bijv.'))).toEqual([]);
    // Read back: every column is at least as wide as its header, so no header is cut off in Excel.
    DUTCH_HEADER.forEach((text, index) => expect([text, data.getColumn(index + 1).width! >= text.length]).toEqual([text, true]));
    // ... and as wide as the typical values: a date, a name, a kind of trajectory.
    expect(data.getColumn(3).width).toBeGreaterThanOrEqual('2026-09-30'.length);
    expect(data.getColumn(2).width).toBeGreaterThanOrEqual('Annabel Vroegindeweij'.length);
    expect(data.getColumn(5).width).toBeGreaterThanOrEqual('Werkervaringstraject'.length);
    const longestLabel = Math.max(...[...figures.keys()].map((label) => label.length));
    expect(totals.getColumn(1).width).toBeGreaterThanOrEqual(longestLabel);
    expect(figures.get('Nog lopend (geen uitkomst)')).toBe(3);
  });
});

describe('pseudonymised exports', () => {
  const keyed = (key: string, prefix: string) =>
    `${prefix}-${createHmac('sha256', t.config.pseudonymSecret).update(key).digest('hex').slice(0, 16).toUpperCase()}`;
  const expectedPseudonym = (participantId: number) => keyed(`participant:${participantId}`, 'P');
  const trajectoryPseudonym = (trajectoryId: number) => keyed(`trajectory:${trajectoryId}`, 'T');
  const NAMES = ['Annabel', 'Vroegindeweij', 'Bakker', 'Fleur', 'Wissel', 'Gijs', 'Laterdicht', 'Zonderref', 'JJ', 'Daan Coach'];

  /**
   * Every name, email, phone, birth date and reference the database holds about people and
   * trajectories: none may appear in any cell of a pseudonymised export.
   */
  async function identifyingValues(): Promise<string[]> {
    const db = t.database.db;
    const participants = await db
      .selectFrom('participants')
      .select(['first_name', 'last_name', 'email', 'phone', 'external_reference', 'date_of_birth'])
      .execute();
    const users = await db.selectFrom('users').select(['display_name', 'email']).execute();
    const trajectories = await db.selectFrom('trajectories').select('reference').execute();
    const contacts = await db.selectFrom('employer_contacts').select(['name', 'email', 'phone']).execute();
    const values = [
      ...participants.flatMap((row) => [
        row.first_name,
        row.last_name,
        row.email,
        row.phone,
        row.external_reference,
        row.date_of_birth,
      ]),
      ...participants.map((row) => `${row.first_name} ${row.last_name}`),
      ...users.flatMap((row) => [row.display_name, row.email]),
      ...trajectories.map((row) => row.reference),
      ...contacts.flatMap((row) => [row.name, row.email, row.phone]),
    ];
    return [...new Set(values.filter((value): value is string => typeof value === 'string' && value.trim() !== ''))];
  }

  function expectNoIdentifyingCell(cells: string[], identifying: string[]) {
    expect(identifying.length).toBeGreaterThan(20);
    for (const cell of cells) {
      for (const value of identifying) {
        // Short values (a first name of two letters) only as a whole cell; longer ones anywhere in it.
        if (value.length < 3 ? cell === value : cell.includes(value)) throw new Error(`cell "${cell}" holds "${value}"`);
      }
    }
  }

  test('a pseudonymised CSV holds no name, birth date, coach or reference, and stable pseudonyms per participant and trajectory', async () => {
    const response = await download(manager, q3(gemeente, { pseudonymise: '1' }));
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="periode-gemeente-zeist-2026-07-01-2026-09-30-pseudoniem.csv"',
    );
    const text = (response.body as Buffer).toString('utf8');
    for (const name of NAMES) expect(text).not.toContain(name);
    expect(text).not.toContain('1990-05-17');
    expect(text).not.toContain('1985-12-01');
    expect(text).not.toContain('Geboortedatum');
    expect(text).not.toContain('GZ-');
    expect(text).not.toContain('Referentie traject');
    const rows = parseCsv(text.slice(1), ';');
    expect(rows[0]).not.toContain('Jobcoach');
    expect(text).not.toContain('EXT-ANNA');
    expect(rows[0]!.slice(0, 4)).toEqual(['Pseudoniem traject', 'Pseudoniem', 'Team', 'Soort traject']);
    expect(rows[0]).toHaveLength(DUTCH_HEADER.length - 1);
    const pseudonyms = new Map(rows.slice(1).map((row) => [row[0], row[1]]));
    expect(pseudonyms.get(trajectoryPseudonym(ids.t1!))).toBe(expectedPseudonym(ids.annabel!));
    expect(pseudonyms.get(trajectoryPseudonym(ids.t2!))).toBe(expectedPseudonym(ids.jan!));
    expect(new Set(pseudonyms.values()).size).toBe(5);
    for (const [trajectory, pseudonym] of pseudonyms) {
      expect(pseudonym).toMatch(/^P-[0-9A-F]{16}$/);
      expect(trajectory).toMatch(/^T-[0-9A-F]{16}$/);
    }
    for (const row of rows.slice(1)) expect(row[2]).toBe('Team Noord');
    // The figures stay: Annabel's row is the same apart from who she is.
    const annabel = rows.find((row) => row[0] === trajectoryPseudonym(ids.t1!))!;
    expect(annabel.slice(3)).toEqual(expectedManagerRows(',')[3]!.slice(4));
    expectNoIdentifyingCell(rows.slice(1).flat(), await identifyingValues());
  });

  test('a pseudonymised XLSX holds no name, birth date, coach or reference in any cell, with the same pseudonyms as the CSV', async () => {
    const response = await download(admin, q3(gemeente, { format: 'xlsx', pseudonymise: '1' }));
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="period-gemeente-zeist-2026-07-01-2026-09-30-pseudonymised.xlsx"',
    );
    const entries = await zipEntriesAsText(response.body as Buffer);
    const xml = [...entries.values()].join('\n');
    expect(xml).toContain('Pseudonym');
    for (const name of [...NAMES, 'Zeno', 'Zuidelijk']) expect(xml).not.toContain(name);
    expect(xml).not.toContain('Date of birth');
    expect(xml).not.toContain('EXT-ANNA');
    expect(xml).not.toContain('GZ-');

    const workbook = await loadWorkbook(response.body as Buffer);
    const data = workbook.getWorksheet('Trajectories')!;
    const birthDates = ['1990-05-17', '1985-12-01'];
    const cells: string[] = [];
    data.eachRow((row, rowNumber) =>
      row.eachCell((cell) => {
        if (cell.value instanceof Date) expect(birthDates).not.toContain(cell.value.toISOString().slice(0, 10));
        else if (rowNumber > 1 && cell.value !== null) cells.push(cell.text);
      }),
    );
    const annabelRow = data.getRows(2, data.rowCount - 1)!.find((row) => row.getCell(1).value === trajectoryPseudonym(ids.t1!))!;
    expect(annabelRow.getCell(2).value).toBe(expectedPseudonym(ids.annabel!));
    const zenoRow = data.getRows(2, data.rowCount - 1)!.find((row) => row.getCell(1).value === trajectoryPseudonym(ids.t8!))!;
    expect(zenoRow.getCell(2).value).toBe(expectedPseudonym(ids.zuid!));
    const totals = workbook.getWorksheet('Totals')!;
    const pseudonymisedRow = totals.getRows(1, totals.rowCount)!.find((row) => row.getCell(1).value === 'Pseudonymised')!;
    expect(pseudonymisedRow.getCell(2).value).toBe('Yes');
    expectNoIdentifyingCell(cells, await identifyingValues());
  });

  test('the ordinary export keeps the trajectory reference and the coach', async () => {
    const rows = await csvRows(manager, q3(gemeente));
    expect(rows[0]!.slice(0, 4)).toEqual(['Referentie traject', 'Deelnemer', 'Geboortedatum', 'Jobcoach']);
    expect(rows.some((row) => row[0] === 'GZ-002' && row[3] === 'Daan Coach')).toBe(true);
  });

  test('the same participant and trajectory keep the same pseudonyms in a later export', async () => {
    const first = await csvRows(manager, q3(gemeente, { pseudonymise: '1' }));
    const second = await csvRows(manager, {
      commissionerId: String(gemeente),
      periodKind: 'month',
      month: '2026-08',
      format: 'csv',
      separator: 'comma',
      pseudonymise: '1',
    });
    const annabelFirst = first.find((row) => row[0] === trajectoryPseudonym(ids.t1!))![1];
    const annabelSecond = second.find((row) => row[0] === trajectoryPseudonym(ids.t1!))![1];
    expect(annabelFirst).toBe(expectedPseudonym(ids.annabel!));
    expect(annabelSecond).toBe(annabelFirst);
  });

  test('the rows of a pseudonymised export are not in the order of the hidden references', async () => {
    const db = t.database.db;
    const commissioner = await insertCommissioner(db, { name: 'Gemeente Volgorde', kind: 'municipality' });
    // Made in this order, so their ids go up while their references go down.
    const trajectories: number[] = [];
    for (const reference of ['VOLG-C', 'VOLG-B', 'VOLG-A']) {
      const participant = await insertParticipant(db, {
        first_name: 'Volg',
        last_name: reference,
        coach_id: coach.id,
        status: 'active',
      });
      trajectories.push(
        await insertTrajectory(db, {
          participant_id: participant,
          commissioner_id: commissioner,
          kind: 'jobcoaching',
          reference,
          start_date: '2026-01-01',
          granted_hours: '10.00',
        }),
      );
    }
    const plain = await csvRows(manager, q3(commissioner));
    expect(plain.slice(1).map((row) => row[0])).toEqual(['VOLG-A', 'VOLG-B', 'VOLG-C']);
    const pseudonymised = await csvRows(manager, q3(commissioner, { pseudonymise: '1' }));
    expect(pseudonymised.slice(1).map((row) => row[0])).toEqual(trajectories.map(trajectoryPseudonym));
  });
});

describe('access and audit', () => {
  test('coaches get a 404 for any export, valid or not, and nothing is recorded', async () => {
    const before = await t.database.db
      .selectFrom('audit_events')
      .where('entity_type', '=', 'period_export')
      .selectAll()
      .execute();
    for (const fields of [q3(gemeente), {}, { commissionerId: 'x' }] as Array<Record<string, string>>) {
      const response = await download(coach, fields);
      expect(response.status).toBe(404);
    }
    expect(await download(coachZuid, q3(gemeente)).then((response) => response.status)).toBe(404);
    const after = await t.database.db.selectFrom('audit_events').where('entity_type', '=', 'period_export').selectAll().execute();
    expect(after).toHaveLength(before.length);
  });

  test('every download is one audit event with its filters and no participant data', async () => {
    const latest = () =>
      t.database.db
        .selectFrom('audit_events')
        .select(['action', 'actor_user_id', 'entity_type', 'entity_id', 'participant_id', 'details'])
        .where('entity_type', '=', 'period_export')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
    const count = async () =>
      (await t.database.db.selectFrom('audit_events').where('entity_type', '=', 'period_export').select('id').execute()).length;

    const start = await count();
    await csvRows(manager, q3(gemeente, { separator: 'comma', pseudonymise: '1' }));
    expect(await count()).toBe(start + 1);
    expect(await latest()).toEqual({
      action: 'export',
      actor_user_id: manager.id,
      entity_type: 'period_export',
      entity_id: String(gemeente),
      participant_id: null,
      details: {
        commissionerId: gemeente,
        from: '2026-07-01',
        to: '2026-09-30',
        format: 'csv',
        separator: 'comma',
        pseudonymised: true,
      },
    });

    const xlsx = await download(admin, {
      commissionerId: String(uwv),
      periodKind: 'custom',
      from: '15-08-2026',
      to: '15-09-2026',
      format: 'xlsx',
    });
    expect(xlsx.status).toBe(200);
    expect(await count()).toBe(start + 2);
    expect(await latest()).toEqual({
      action: 'export',
      actor_user_id: admin.id,
      entity_type: 'period_export',
      entity_id: String(uwv),
      participant_id: null,
      details: {
        commissionerId: uwv,
        from: '2026-08-15',
        to: '2026-09-15',
        format: 'xlsx',
        separator: null,
        pseudonymised: false,
      },
    });
  });

  test('the audit log shows the export with its own label', async () => {
    const page = await (await agentFor(admin)).get('/admin/audit');
    expect(page.status).toBe(200);
    expect(page.text).toContain('exported the period export of commissioner UWV Utrecht');
  });
});

describe('invalid export requests', () => {
  test('an incomplete or wrong form comes back with 422, messages by the fields and every choice kept', async () => {
    const response = await download(manager, {
      commissionerId: '',
      periodKind: 'month',
      month: '2026-13',
      quarter: '2026-Q2',
      format: 'csv',
      separator: 'tab',
      pseudonymise: '1',
    });
    expect(response.status).toBe(422);
    const html = (response.body as Buffer).toString('utf8');
    expect(html).toContain('Er zijn 3 fouten in het formulier');
    expect(html).toContain('Kies een opdrachtgever.');
    expect(html).toContain('Vul een maand in als jjjj-mm, bijvoorbeeld 2026-10.');
    expect(html).toContain('Kies komma of puntkomma.');
    expect(html).toContain('href="#commissionerId"');
    expect(html).toContain('href="#month"');
    expect(html).toMatch(/id="month" name="month" value="2026-13"/);
    expect(html).toMatch(/id="quarter" name="quarter" value="2026-Q2"/);
    expect(html).toMatch(/name="periodKind" value="month" checked/);
    expect(html).toMatch(/id="pseudonymise" name="pseudonymise" value="1"[^>]* checked/);
    expect(html).toMatch(/name="format" value="csv" checked/);
  });

  test('a custom period that ends before it starts, a bad format and an unknown commissioner are all 422', async () => {
    const reversed = await download(manager, {
      commissionerId: String(gemeente),
      periodKind: 'custom',
      from: '30-09-2026',
      to: '01-09-2026',
      format: 'csv',
      separator: 'comma',
    });
    expect(reversed.status).toBe(422);
    expect((reversed.body as Buffer).toString('utf8')).toContain('De einddatum ligt vóór de begindatum.');

    const badFormat = await download(manager, q3(gemeente, { format: 'pdf' }));
    expect(badFormat.status).toBe(422);
    expect((badFormat.body as Buffer).toString('utf8')).toContain('Kies CSV of Excel.');

    const unknown = await download(manager, q3(999999));
    expect(unknown.status).toBe(422);
    expect((unknown.body as Buffer).toString('utf8')).toContain('Deze opdrachtgever bestaat niet (meer).');
  });

  test('crafted query strings never cause a 500', async () => {
    const agent = await agentFor(admin);
    for (const query of [
      // A repeated parameter is read as its first value: here an unknown commissioner.
      `commissionerId=999999&commissionerId=${gemeente}&periodKind=quarter&quarter=2026-Q3&format=csv&separator=comma`,
      'commissionerId[a]=1&periodKind=quarter&quarter=2026-Q3&format=csv&separator=comma',
      'commissionerId=99999999999999&periodKind=quarter&quarter=2026-Q3&format=xlsx',
      `commissionerId=${gemeente}&periodKind=quarter&quarter=2026-Q5&format=xlsx`,
      `commissionerId=${gemeente}&periodKind=custom&from=31-02-2026&to=&format=xlsx`,
      `commissionerId=${gemeente}&periodKind=week&format=xlsx&pseudonymise=maybe`,
      '%E0%A4%A=1',
    ]) {
      const response = await agent.get(`/reports/export?${query}`);
      expect(response.status).toBe(422);
    }
  });
});
