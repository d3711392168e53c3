import { ConfigError, parseConfig } from '../../src/config';

// The single sign-on variables (src/config.ts): all three or none, HTTPS (or loopback), and
// PASSWORD_SIGNIN=admins-only only with single sign-on.
const base = { NODE_ENV: 'test' };
const sso = { OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0', OIDC_CLIENT_ID: 'app', OIDC_CLIENT_SECRET: 's3cret' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig({ ...base, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

test('without OIDC_ISSUER there is no single sign-on, and passwords are for everyone', () => {
  const config = parseConfig(base);
  expect(config.sso).toBeNull();
  expect(config.passwordSignIn).toBe('all');
});

test('the variables are read into config.sso', () => {
  const config = parseConfig({
    ...base,
    ...sso,
    OIDC_BUTTON_LABEL: ' Gemeente ',
    OIDC_CREATE_USERS: 'yes',
    OIDC_DEFAULT_TEAM: 'Team Noord',
    OIDC_ROLE_CLAIM: 'roles',
    PASSWORD_SIGNIN: 'admins-only',
  });
  expect(config.sso).toEqual({
    issuer: sso.OIDC_ISSUER,
    clientId: 'app',
    clientSecret: 's3cret',
    buttonLabel: 'Gemeente',
    createUsers: true,
    defaultTeam: 'Team Noord',
    roleClaim: 'roles',
  });
  expect(config.passwordSignIn).toBe('admins-only');
});

test.each([
  [{ OIDC_ISSUER: sso.OIDC_ISSUER }, /^OIDC_CLIENT_ID must be set together/],
  [{ OIDC_CLIENT_ID: 'app', OIDC_CLIENT_SECRET: 'x' }, /^OIDC_ISSUER must be set together/],
  [{ ...sso, OIDC_ISSUER: 'http://idp.example.org' }, /^OIDC_ISSUER must be the https:\/\/ address/],
  [{ ...sso, OIDC_ISSUER: 'not a url' }, /^OIDC_ISSUER must be the https:\/\/ address/],
  [{ PASSWORD_SIGNIN: 'admins-only' }, /^PASSWORD_SIGNIN admins-only needs single sign-on/],
  [{ ...sso, PASSWORD_SIGNIN: 'nobody' }, /^PASSWORD_SIGNIN must be one of all, admins-only/],
  [{ ...sso, OIDC_CREATE_USERS: 'maybe' }, /^OIDC_CREATE_USERS must be true or false/],
  [{ ...sso, OIDC_ROLE_CLAIM: 'two words' }, /^OIDC_ROLE_CLAIM must be the name of a claim/],
])('%j is refused at start', (env, problem) => {
  expect(problemsOf(env)).toEqual([expect.stringMatching(problem)]);
});

test('plain HTTP is accepted for a provider on this machine (tests, a local try-out)', () => {
  expect(parseConfig({ ...base, ...sso, OIDC_ISSUER: 'http://127.0.0.1:3139' }).sso?.issuer).toBe('http://127.0.0.1:3139');
  expect(parseConfig({ ...base, ...sso, OIDC_ISSUER: 'http://localhost:8080/realms/x' }).sso).not.toBeNull();
});
