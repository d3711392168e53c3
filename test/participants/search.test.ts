import { phoneSearchKey, phoneSearchOf } from '../../src/lib/phone';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertParticipant } from '../helpers/fixtures';

// Issue 16, item 6: the search on /participants finds a phone number however it is written, and
// an email address; a coach never finds another coach's participant that way.

let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let manager: UserFixture;

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Zoek', displayName: 'Zoë Zoeker' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Elders', displayName: 'Olaf Elders' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Zoek', displayName: 'Mila Zoek' });
});
afterAll(() => t.close());

const FORMATS = [
  '0620000000',
  '06-20000000',
  '06 2000 0000',
  '+31 6 20000000',
  '+31 (0)6 2000 0000',
  '0031 620 000 000',
  '(06) 200-000-00',
];

describe('phone search keys', () => {
  test('every way of writing one Dutch number gives one key', () => {
    for (const format of FORMATS) expect([format, phoneSearchKey(format)]).toEqual([format, '620000000']);
  });

  test('Belgian numbers meet their national form; other countries keep their code', () => {
    expect(phoneSearchKey('+32 470 12 34 56')).toBe('470123456');
    expect(phoneSearchKey('0470/12.34.56')).toBe('470123456');
    expect(phoneSearchKey('0032 470 12 34 56')).toBe('470123456');
    expect(phoneSearchKey('+212 6 12 34 56 78')).toBe('212612345678');
    expect(phoneSearchKey('00212 612345678')).toBe('212612345678');
    expect(phoneSearchKey('020-1234567')).toBe('201234567');
    expect(phoneSearchKey('geen')).toBeNull();
    expect(phoneSearchKey(null)).toBeNull();
  });

  test('a search text is a number only with digits and separators, at least four digits', () => {
    expect(phoneSearchOf('0620000000')).toEqual({ key: '620000000', fromStart: true });
    expect(phoneSearchOf(' +31 6 2000 ')).toEqual({ key: '62000', fromStart: true });
    expect(phoneSearchOf('2000 0000')).toEqual({ key: '20000000', fromStart: false });
    expect(phoneSearchOf('062')).toBeNull();
    expect(phoneSearchOf('Jan 0620000000')).toBeNull();
    expect(phoneSearchOf('UWV-2026-001')).toBeNull();
  });

  test('the stored key (a generated column) is the one the app computes', async () => {
    const samples = [
      ...FORMATS,
      '+32 470 12 34 56',
      '0470/12.34.56',
      '0032 470 12 34 56',
      '+212 6 12 34 56 78',
      '00212 612345678',
      '020-1234567',
      ' + 31 6 1234 5678',
      '6123',
      'onbekend',
      '',
    ];
    // The column's expression, through a participant row per sample.
    const ids: number[] = [];
    for (const phone of samples) {
      ids.push(
        await insertParticipant(t.database.db, { first_name: 'Sleutel', last_name: 'Proef', coach_id: otherCoach.id, phone }),
      );
    }
    const rows = await t.database.db
      .selectFrom('participants')
      .select(['id', 'phone', 'phone_search'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    expect(rows.map((row) => [row.phone, row.phone_search])).toEqual(samples.map((phone) => [phone, phoneSearchKey(phone)]));
  });
});

describe('searching participants by phone and email', () => {
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const add = (key: string, coachId: number, phone: string | null, email: string | null = null) =>
      insertParticipant(t.database.db, {
        first_name: key,
        last_name: 'Bellers',
        coach_id: coachId,
        status: 'active',
        phone,
        email,
      }).then((id) => {
        ids[key] = id;
      });
    await add('Streepje', coach.id, '06-20000000', 'streepje@example.test');
    await add('Spaties', coach.id, '06 2000 0000');
    await add('Landcode', coach.id, '+31 6 20000000');
    await add('Nullen', coach.id, '0031 (0)6 2000 0000');
    await add('Anders', coach.id, '06 1262 0000', 'Anders.Bellers@Voorbeeld.test');
    await add('Vast', coach.id, '020-1234567');
    await add('Geen', coach.id, null);
    // The same number, in another coach's caseload.
    await add('Vreemd', otherCoach.id, '06-20000000', 'vreemd@example.test');
  });

  async function found(user: UserFixture, q: string): Promise<string[]> {
    const agent = await signedInAgent(t.app, user);
    const response = await agent.get(`/participants?q=${encodeURIComponent(q)}`);
    expect(response.status).toBe(200);
    const byId = new Map(Object.entries(ids).map(([key, id]) => [id, key]));
    return [...response.text.matchAll(/<a href="\/participants\/(\d+)">/g)]
      .map((m) => byId.get(Number(m[1])))
      .filter((key): key is string => key !== undefined)
      .sort();
  }

  test('a number typed in any format finds it in every format, only in the coach’s own caseload', async () => {
    const same = ['Landcode', 'Nullen', 'Spaties', 'Streepje'];
    for (const q of ['0620000000', '06-20000000', '+31620000000', '0031 6 2000 0000', '+31 (0)6 20 00 00 00']) {
      expect([q, await found(coach, q)]).toEqual([q, same]);
    }
  });

  test('the start of a number or a part of it', async () => {
    // With its prefix: the start of a number (not 06 1262 0000, which holds 620 further on).
    expect(await found(coach, '06 2000')).toEqual(['Landcode', 'Nullen', 'Spaties', 'Streepje']);
    // Without: any part.
    expect(await found(coach, '2620000')).toEqual(['Anders']);
    expect(await found(coach, '123 45 67')).toEqual(['Vast']);
    expect(await found(coach, '+31 20 123')).toEqual(['Vast']);
  });

  test('an email address or a part of it, in any case', async () => {
    expect(await found(coach, 'streepje@example.test')).toEqual(['Streepje']);
    expect(await found(coach, 'anders.bellers@voorbeeld')).toEqual(['Anders']);
    expect(await found(coach, 'VOORBEELD.TEST')).toEqual(['Anders']);
    // A wildcard is taken literally.
    expect(await found(coach, '%@%')).toEqual([]);
  });

  test('scope: another coach’s participant is never found by phone or email', async () => {
    expect(await found(otherCoach, '0620000000')).toEqual(['Vreemd']);
    expect(await found(coach, 'vreemd@example.test')).toEqual([]);
    // A manager of the coach's team finds the team's, not the other team's.
    expect(await found(manager, '06 20 00 00 00')).toEqual(['Landcode', 'Nullen', 'Spaties', 'Streepje']);
  });
});
