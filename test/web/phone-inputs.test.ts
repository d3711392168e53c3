import path from 'node:path';
import ejs from 'ejs';
import { DateTime } from 'luxon';
import { FixedClock } from '../../src/lib/clock';
import { translatorFor } from '../../src/messages';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertContact, insertEmployer, insertParticipant, openForm } from '../helpers/fixtures';

// Issue 16, phone-first, the parts a server answers: date and time fields are the phone's pickers
// (type=date / type=time, whose values are ISO), the server reads both ISO and dd-mm-yyyy, a value
// that is no date comes back as typed in a text field, the header's menu is a <details>, and the
// contact-person select can follow the employer.

let t: TestApp;
let coach: UserFixture;
const clock = new FixedClock('2026-11-23T10:00:00+01:00');

beforeAll(async () => {
  t = await startTestApp({ clock });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan Coach' });
});
afterAll(() => t.close());

function renderPicker(locals: Record<string, unknown>): Promise<string> {
  return ejs.renderFile(path.resolve(__dirname, '../../views/partials/picker-input.ejs'), {
    t: translatorFor('nl'),
    id: 'when',
    name: 'when',
    describedBy: '',
    invalid: false,
    hintId: 'when-format',
    ...locals,
  });
}

describe('the date and time inputs', () => {
  test.each([
    ['date', '23-11-2026', 'type="date" id="when" name="when" value="2026-11-23" min="1900-01-01" max="2200-12-31"'],
    ['date', '2026-11-23', 'type="date" id="when" name="when" value="2026-11-23"'],
    ['date', '1/2/2027', 'type="date" id="when" name="when" value="2027-02-01"'],
    ['date', '', 'type="date" id="when" name="when" value=""'],
    ['time', '9.05', 'type="time" id="when" name="when" value="09:05"'],
    ['time', '14:30', 'type="time" id="when" name="when" value="14:30"'],
  ])('a %s "%s" opens the picker with its ISO value', async (pickerKind, value, expected) => {
    const html = await renderPicker({ pickerKind, value });
    expect(html).toContain(expected);
    expect(html).not.toContain('when-format');
  });

  test.each([
    ['date', '31-02-2026', 'dd-mm-jjjj'],
    ['date', 'morgen', 'dd-mm-jjjj'],
    ['time', '25:00', 'uu:mm'],
    ['date', '"><script>', 'dd-mm-jjjj'],
  ])('an unreadable %s "%s" stays as typed, in a text field with the format', async (pickerKind, value, hint) => {
    const html = await renderPicker({ pickerKind, value, invalid: true, describedBy: 'when-error' });
    expect(html).toContain('type="text" id="when" name="when"');
    expect(html).toContain(`value="${ejs.escapeXML(value)}"`);
    expect(html).toContain(`<p class="field__hint" id="when-format">${hint}</p>`);
    expect(html).toContain('aria-describedby="when-error when-format" aria-invalid="true"');
    expect(html).not.toContain('<script>');
  });

  test('the contact form offers the pickers and stores what a phone sends (ISO) as well as dd-mm-yyyy', async () => {
    const participantId = await insertParticipant(t.database.db, {
      first_name: 'Sem',
      last_name: 'Picker',
      coach_id: coach.id,
      status: 'active',
    });
    const agent = await signedInAgent(t.app, coach);
    const url = `/participants/${participantId}/contacts/new`;
    const page = await agent.get(url);
    expect(page.text).toContain('type="date" id="occurredDate" name="occurredDate" value="2026-11-23"');
    expect(page.text).toContain('type="time" id="occurredTime" name="occurredTime" value="10:00"');
    expect(page.text).toContain('type="date" id="nextContactDate" name="nextContactDate" value=""');
    expect(page.text).toContain('type="time" id="nextContactTime" name="nextContactTime" value=""');

    const fromPhone = {
      outcome: 'reached',
      summary: 'Gebeld',
      occurredDate: '2026-11-20',
      occurredTime: '14:05',
      nextContactDate: '2026-11-27',
      nextContactTime: '09:30',
    };
    const typed = { ...fromPhone, occurredDate: '21-11-2026', nextContactDate: '28-11-2026' };
    for (const fields of [fromPhone, typed]) {
      const response = await agent
        .post(url)
        .type('form')
        .send({ ...(await openForm(agent, url)), ...fields });
      expect(response.status).toBe(303);
    }
    const stored = await t.database.db
      .selectFrom('contact_moments')
      .select(['occurred_at', 'next_contact_date', 'next_contact_time'])
      .where('participant_id', '=', participantId)
      .orderBy('id')
      .execute();
    expect(
      stored.map((row) => [
        DateTime.fromJSDate(new Date(row.occurred_at)).setZone('Europe/Amsterdam').toFormat('yyyy-MM-dd HH:mm'),
        String(row.next_contact_date).slice(0, 10),
        String(row.next_contact_time).slice(0, 5),
      ]),
    ).toEqual([
      ['2026-11-20 14:05', '2026-11-27', '09:30'],
      ['2026-11-21 14:05', '2026-11-28', '09:30'],
    ]);
  });

  test('after a refusal, a readable date is back in the picker and an unreadable one as typed', async () => {
    const participantId = await insertParticipant(t.database.db, {
      first_name: 'Sem',
      last_name: 'Fout',
      coach_id: coach.id,
      status: 'active',
    });
    const agent = await signedInAgent(t.app, coach);
    const url = `/participants/${participantId}/trajectories/new`;
    const response = await agent
      .post(url)
      .type('form')
      .send({
        ...(await openForm(agent, url)),
        kind: 'jobcoaching',
        startDate: '01-03-2026',
        plannedEndDate: '31-02-2027',
        grantedHours: '10',
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('type="date" id="startDate" name="startDate" value="2026-03-01"');
    expect(response.text).toContain('type="text" id="plannedEndDate" name="plannedEndDate" value="31-02-2027"');
  });
});

describe('the phone header', () => {
  test('holds the menu in a <details> naming the current page, beside the wide screen navigation', async () => {
    const page = await (await signedInAgent(t.app, coach)).get('/participants');
    expect(page.text).toMatch(
      /<details class="site-menu">\s*<summary class="site-menu__toggle">.*Menu<span class="site-menu__current"><span class="visually-hidden">, <\/span>Deelnemers<\/span><\/summary>/,
    );
    // Both copies mark the current page; each language switch label has its own id.
    expect(page.text.match(/href="\/participants" aria-current="page"/g)).toHaveLength(2);
    expect(page.text).toContain('id="locale-label-phone"');
    expect(page.text).toContain('id="locale-label-wide"');
  });

  test('signed out, there is no menu, only the language switch', async () => {
    const page = await (await import('supertest')).default(t.app).get('/login');
    expect(page.text).not.toContain('site-menu');
    expect(page.text).toContain('id="locale-label"');
  });
});

test('the contact-person select names the employer of each group, for the script that follows the employer', async () => {
  const participantId = await insertParticipant(t.database.db, {
    first_name: 'Sem',
    last_name: 'Werk',
    coach_id: coach.id,
    status: 'active',
  });
  const employerId = await insertEmployer(t.database.db, { name: 'Kringloop Picker', sector: 'retail' });
  await insertContact(t.database.db, { employer_id: employerId, name: 'Petra Picker', role: 'supervisor' });
  const agent = await signedInAgent(t.app, coach);
  for (const form of [`/participants/${participantId}/contacts/new`, `/participants/${participantId}/placements/new`]) {
    const page = await agent.get(form);
    expect(page.text).toContain(`<optgroup label="Kringloop Picker" data-employer-id="${employerId}">`);
    expect(page.text).toContain('data-follows-employer="employerId"');
    expect(page.text).toContain('<script src="/assets/js/employer-contacts.js" defer></script>');
  }
  const script = await agent.get('/assets/js/employer-contacts.js');
  expect(script.status).toBe(200);
});
