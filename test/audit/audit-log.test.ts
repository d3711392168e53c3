import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertParticipant } from '../helpers/fixtures';
import { readable } from '../helpers/readable';

let t: TestApp;
let admin: UserFixture;
let coach: UserFixture;
let manager: UserFixture;
let participantId: number;
let otherParticipantId: number;

interface EventFixture {
  at: string;
  actor: number | null;
  action: string;
  entityType?: string;
  entityId?: string | null;
  participantId?: number | null;
  details?: Record<string, unknown>;
}

async function insertEvents(events: EventFixture[]) {
  await t.database.db
    .insertInto('audit_events')
    .values(
      events.map((event) => ({
        occurred_at: event.at,
        actor_user_id: event.actor,
        action: event.action,
        entity_type: event.entityType ?? 'participant',
        entity_id: event.entityId ?? null,
        participant_id: event.participantId ?? null,
        details: JSON.stringify(event.details ?? {}),
      })),
    )
    .execute();
}

/** The markers (details.marker) of the rows on a page, top to bottom. */
function markersOn(html: string): string[] {
  return [...html.matchAll(/marker:<\/span> ([\w-]+)</g)].map((match) => match[1]!);
}

function rowCount(html: string): number {
  return html.match(/<time datetime=/g)?.length ?? 0;
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Admin' });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Cora Coach' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord', displayName: 'Max Manager' });
  participantId = await insertParticipant(t.database.db, { first_name: 'Sem', last_name: 'de Jong', coach_id: coach.id });
  otherParticipantId = await insertParticipant(t.database.db, { first_name: 'Lina', last_name: 'Bakker', coach_id: coach.id });
  // Fixed moments in 2025, far from the logins the tests cause (stored at the real "now").
  await insertEvents([
    {
      at: '2025-03-10T09:00:00Z',
      actor: coach.id,
      action: 'view',
      entityId: String(participantId),
      participantId,
      details: { marker: 'coach-view' },
    },
    {
      at: '2025-03-11T09:00:00Z',
      actor: admin.id,
      action: 'update',
      entityId: String(otherParticipantId),
      participantId: otherParticipantId,
      details: { marker: 'admin-update', note: '<script>alert("x")</script>', hours: 12.5, changed: { city: 'Utrecht' } },
    },
    {
      at: '2025-03-12T09:00:00Z',
      actor: null,
      action: 'export_test',
      entityType: 'report',
      details: { marker: 'system-export' },
    },
    // The edges of 1 July 2025 in Amsterdam (summer time, UTC+2).
    { at: '2025-06-30T21:59:59Z', actor: coach.id, action: 'range_test', details: { marker: 'range-before' } },
    { at: '2025-06-30T22:00:00Z', actor: coach.id, action: 'range_test', details: { marker: 'range-first' } },
    { at: '2025-07-01T21:59:59Z', actor: coach.id, action: 'range_test', details: { marker: 'range-last' } },
    { at: '2025-07-01T22:00:00Z', actor: coach.id, action: 'range_test', details: { marker: 'range-after' } },
  ]);
  await insertEvents(
    Array.from({ length: 120 }, (_, index) => ({
      at: new Date(Date.UTC(2024, 0, 1, 8, index)).toISOString(),
      actor: manager.id,
      action: 'bulk_test',
      entityType: 'user',
      entityId: String(index + 1),
      details: { marker: `bulk-${index + 1}` },
    })),
  );
});
afterAll(() => t.close());

describe('audit log page', () => {
  test('only administrators reach it: coaches and managers get 404', async () => {
    for (const user of [coach, manager]) {
      const agent = await signedInAgent(t.app, user);
      expect((await agent.get('/admin/audit')).status).toBe(404);
      expect((await agent.get('/admin/audit?action=view&page=2')).status).toBe(404);
    }
  });

  test('shows events newest first with who, action, subject, participant and escaped details', async () => {
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get('/admin/audit');
    expect(page.status).toBe(200);
    // Only the logins of this test run are newer than the fixtures.
    expect(markersOn(page.text).slice(0, 3)).toEqual(['range-after', 'range-last', 'range-first']);
    expect(page.text).toContain('Auditlog');

    const updated = await agent.get('/admin/audit?action=update');
    expect(updated.text).toContain('11-03-2025 10:00'); // 09:00 UTC is 10:00 in Amsterdam in March
    // Each event is a sentence: who did what to whom, the participant by name.
    expect(updated.text).toContain('Ada Admin wijzigde deelnemer Lina Bakker');
    expect(updated.text).toContain(`<a href="/participants/${otherParticipantId}">Lina Bakker</a>`);
    expect(updated.text).toContain('Notitie:</span> &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;');
    expect(updated.text).not.toContain('<script>alert');
    expect(updated.text).toContain('hours:</span> 12,50');
    // A structured value of a key the log does not know reads as label: value, not as JSON.
    expect(updated.text).toContain('Gewijzigd:</span> Woonplaats: Utrecht');

    const system = await agent.get('/admin/audit?action=export_test');
    expect(readable(system.text)).toContain('Het systeem: export_test – report');
  });

  test('filters by user', async () => {
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get(`/admin/audit?user=${coach.id}`);
    const markers = markersOn(page.text);
    expect(markers).toEqual(['range-after', 'range-last', 'range-first', 'range-before', 'coach-view']);
    expect(page.text).toMatch(new RegExp(`<option value="${coach.id}" selected>Cora Coach`));
  });

  test('filters by participant and names them; a number nobody has reads as an erased participant', async () => {
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get(`/admin/audit?participant=${participantId}`);
    expect(markersOn(page.text)).toEqual(['coach-view']);
    expect(page.text).toContain(`Gebeurtenissen over <a href="/participants/${participantId}">Sem de Jong</a>`);
    // The field shows the name, not the number.
    expect(page.text).toContain('name="participant" value="Sem de Jong"');

    const unknown = await agent.get('/admin/audit?participant=999999');
    expect(unknown.status).toBe(200);
    expect(unknown.text).toContain('Gebeurtenissen over deelnemer #999999 (verwijderde deelnemer)');
    expect(rowCount(unknown.text)).toBe(0);
  });

  test('the participant picker finds a participant by (part of) the name; several are offered; none is explained', async () => {
    const agent = await signedInAgent(t.app, admin);
    const one = await agent.get('/admin/audit?participant=de%20jong');
    expect(markersOn(one.text)).toEqual(['coach-view']);
    expect(one.text).toContain(`Gebeurtenissen over <a href="/participants/${participantId}">Sem de Jong</a>`);
    // The links carry the id, so the next page and the download filter on the same person.
    expect(one.text).toContain(`href="/admin/audit/export.csv?participant=${participantId}"`);

    const several = await agent.get('/admin/audit?participant=n&action=view');
    expect(several.text).toContain('Meerdere deelnemers passen bij &#34;n&#34;. Kies er een:');
    expect(several.text).toContain(`<a href="/admin/audit?participant=${otherParticipantId}&amp;action=view">Lina Bakker</a>`);
    expect(several.text).toContain(`<a href="/admin/audit?participant=${participantId}&amp;action=view">Sem de Jong</a>`);

    const garbage = await agent.get('/admin/audit?participant=%3Cb%3Eabc%25_');
    expect(garbage.status).toBe(200);
    expect(garbage.text).toContain('Geen deelnemer gevonden met &#34;&lt;b&gt;abc%_&#34; in de naam');
    expect(garbage.text).toContain('value="&lt;b&gt;abc%_"');
    expect(rowCount(garbage.text)).toBe(50);
  });

  test('filters by action, offering the actions that occur in the log', async () => {
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get('/admin/audit?action=range_test');
    expect(markersOn(page.text)).toEqual(['range-after', 'range-last', 'range-first', 'range-before']);
    for (const action of ['bulk_test', 'export_test', 'login', 'range_test', 'update', 'view']) {
      expect(page.text).toContain(`<option value="${action}"`);
    }
    expect(page.text).toContain('<option value="range_test" selected>');
    expect(page.text).not.toContain('<option value="delete"');
  });

  test('a date range covers whole days in the organisation time zone', async () => {
    const agent = await signedInAgent(t.app, admin);
    for (const query of ['from=01-07-2025&to=01-07-2025', 'from=2025-07-01&to=2025-07-01']) {
      const page = await agent.get(`/admin/audit?${query}`);
      expect(markersOn(page.text)).toEqual(['range-last', 'range-first']);
      expect(page.text).toContain('value="2025-07-01"');
    }
    const openEnded = await agent.get('/admin/audit?action=range_test&from=01-07-2025');
    expect(markersOn(openEnded.text)).toEqual(['range-after', 'range-last', 'range-first']);
    const upTo = await agent.get('/admin/audit?action=range_test&to=30-06-2025');
    expect(markersOn(upTo.text)).toEqual(['range-before']);
  });

  test('invalid or reversed dates show a message and are ignored, never an error', async () => {
    const agent = await signedInAgent(t.app, admin);
    const invalid = await agent.get('/admin/audit?action=range_test&from=31-02-2025&to=%3Cscript%3E');
    expect(invalid.status).toBe(200);
    expect(invalid.text).toContain('De datum bij &#34;Van&#34; is niet herkend');
    expect(invalid.text).toContain('De datum bij &#34;Tot en met&#34; is niet herkend');
    expect(invalid.text).toContain('value="31-02-2025"');
    expect(invalid.text).toContain('value="&lt;script&gt;"');
    expect(markersOn(invalid.text)).toHaveLength(4);

    const reversed = await agent.get('/admin/audit?action=range_test&from=02-07-2025&to=01-07-2025');
    expect(reversed.status).toBe(200);
    expect(reversed.text).toContain('De begindatum ligt na de einddatum');
    expect(markersOn(reversed.text)).toHaveLength(4);

    const repeated = await agent.get('/admin/audit?from=a&from=b&user=x&page=-3');
    expect(repeated.status).toBe(200);
  });

  test('paginates 50 per page with totals, and the filters survive the page links', async () => {
    const agent = await signedInAgent(t.app, admin);
    const first = await agent.get('/admin/audit?action=bulk_test&user=' + manager.id + '&from=01-01-2024');
    expect(rowCount(first.text)).toBe(50);
    expect(first.text).toContain('120 gebeurtenissen');
    expect(readable(first.text)).toContain('1–50 van 120');
    expect(markersOn(first.text)[0]).toBe('bulk-120');
    const next = /href="\?([^"]*page=2)" rel="next"/.exec(first.text)![1]!.replace(/&amp;/g, '&');
    const params = new URLSearchParams(next);
    expect(params.get('action')).toBe('bulk_test');
    expect(params.get('user')).toBe(String(manager.id));
    expect(params.get('from')).toBe('2024-01-01');

    const second = await agent.get(`/admin/audit?${next}`);
    expect(markersOn(second.text)[0]).toBe('bulk-70');
    const last = await agent.get(`/admin/audit?${next.replace('page=2', 'page=3')}`);
    expect(rowCount(last.text)).toBe(20);
    expect(readable(last.text)).toContain('101–120 van 120');
    expect(markersOn(last.text).at(-1)).toBe('bulk-1');

    const beyond = await agent.get('/admin/audit?action=bulk_test&page=9');
    expect(beyond.status).toBe(200);
    expect(rowCount(beyond.text)).toBe(0);
    expect(beyond.text).toContain('Deze pagina bestaat niet (meer).');
  });

  test('a filter that matches nothing says so', async () => {
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get('/admin/audit?action=never_happened');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Geen gebeurtenissen gevonden met deze filters.');
  });
});
