import request from 'supertest';
import { createTestUser, csrfToken, signIn, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';

let t: TestApp;
let coach: UserFixture;

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', displayName: 'Pim Coach' });
});
afterAll(() => t.close());

describe('own account', () => {
  test('shows the name, email, role and team', async () => {
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get('/account');
    expect(page.text).toContain('Pim Coach');
    expect(page.text).toContain(coach.email);
    expect(page.text).toContain('Team Test');
  });

  test('a wrong current password, a short or mismatched new one answer 422 with messages', async () => {
    const agent = await signedInAgent(t.app, coach);
    const token = await csrfToken(agent, '/account');
    const short = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: token, currentPassword: coach.password, newPassword: 'short', confirmPassword: 'other' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('minstens 12 tekens');
    const wrong = await agent.post('/account/password').type('form').send({
      _csrf: token,
      currentPassword: 'not my password',
      newPassword: 'a brand new passphrase',
      confirmPassword: 'a brand new passphrase',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Het huidige wachtwoord klopt niet.');
    expect(wrong.text).not.toContain('a brand new passphrase');
  });

  test('changing the password signs out the other sessions and keeps this one', async () => {
    const other = await signedInAgent(t.app, coach);
    const agent = await signedInAgent(t.app, coach);
    const token = await csrfToken(agent, '/account');
    const newPassword = 'a brand new passphrase';
    const response = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: token, currentPassword: coach.password, newPassword, confirmPassword: newPassword });
    expect(response.status).toBe(303);
    expect((await agent.get('/account?done=password')).text).toContain('Je wachtwoord is gewijzigd');
    expect((await other.get('/today')).status).toBe(303);
    expect((await signIn(request.agent(t.app), coach)).status).toBe(401);
    expect((await signIn(request.agent(t.app), { email: coach.email, password: newPassword })).status).toBe(303);
  });
});
