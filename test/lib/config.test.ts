import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadDotEnv, parseConfig } from '../../src/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  test('defaults make a working development setup on the embedded database', () => {
    const config = parseConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ mode: 'embedded', dataDir: './data/pglite', connectTimeoutMs: 3000 });
    expect(config.timeZone).toBe('Europe/Amsterdam');
    expect(config.defaultLocale).toBe('nl');
    expect(config.session.secretIsEphemeral).toBe(true);
    expect(config.session.secret).toHaveLength(64);
    expect(config.session.idleMinutes).toBe(30);
    expect(config.session.absoluteHours).toBe(12);
    expect(config.loginRateLimit).toEqual({ failuresPerAddress: 100, failuresPerAccount: 10, windowMinutes: 15 });
    expect(config.warnings).toEqual([]);
    expect(config.migrateOnStart).toBe(false);
    expect(config.trustProxy).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('outside production the pseudonym key is the fixed development key, so pseudonyms survive a restart', () => {
    expect(parseConfig({}).pseudonymSecret).toBe(parseConfig({}).pseudonymSecret);
    expect(parseConfig({ PSEUDONYM_SECRET: 'k'.repeat(40) }).pseudonymSecret).toBe('k'.repeat(40));
  });

  test('a random session secret differs per start', () => {
    expect(parseConfig({}).session.secret).not.toBe(parseConfig({}).session.secret);
  });

  test('production requires SESSION_SECRET, PUBLIC_URL and PSEUDONYM_SECRET and names them', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^SESSION_SECRET is required when NODE_ENV=production/),
      expect.stringMatching(/^PUBLIC_URL is required when NODE_ENV=production/),
      expect.stringMatching(/^PSEUDONYM_SECRET is required when NODE_ENV=production/),
    ]);
    const url = { PUBLIC_URL: 'https://inbeeld.example.org' };
    expect(problemsOf({ NODE_ENV: 'production', ...url, SESSION_SECRET: 'x'.repeat(32), PSEUDONYM_SECRET: 'short' })).toEqual([
      expect.stringMatching(/^PSEUDONYM_SECRET must be at least 32 characters/),
    ]);
    expect(problemsOf({ NODE_ENV: 'production', ...url, SESSION_SECRET: 'short', PSEUDONYM_SECRET: 'p'.repeat(32) })).toEqual([
      expect.stringMatching(/^SESSION_SECRET must be at least 32 characters/),
    ]);
  });

  test('PUBLIC_URL is an absolute http(s) address; links are made without its trailing slash', () => {
    expect(parseConfig({ PORT: '3100' }).publicUrl).toBe('http://localhost:3100');
    expect(parseConfig({ PUBLIC_URL: 'https://inbeeld.example.org/' }).publicUrl).toBe('https://inbeeld.example.org');
    expect(parseConfig({ PUBLIC_URL: 'https://example.org/inbeeld' }).publicUrl).toBe('https://example.org/inbeeld');
    for (const wrong of ['inbeeld.example.org', 'ftp://example.org', 'https://', 'https://x.org/?a=1']) {
      expect(problemsOf({ PUBLIC_URL: wrong })).toEqual([expect.stringMatching(/^PUBLIC_URL must be the absolute address/)]);
    }
  });

  test.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['NODE_ENV', 'staging'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['APP_TIMEZONE', 'Europe/Atlantis'],
    ['DEFAULT_LOCALE', 'de'],
    ['LOG_LEVEL', 'loud'],
    ['MIGRATE_ON_START', 'ture'],
    ['SESSION_IDLE_MINUTES', '0'],
    ['LOGIN_FAILURES_PER_ADDRESS', '0'],
    ['LOGIN_FAILURES_PER_ACCOUNT', 'ten'],
  ])('an invalid %s=%s is refused with a message naming it', (variable, value) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${variable} `));
  });

  test('the sign-in limits can be set, and the retired LOGIN_RATE_LIMIT_MAX is named in a warning', () => {
    const config = parseConfig({
      LOGIN_FAILURES_PER_ADDRESS: '250',
      LOGIN_FAILURES_PER_ACCOUNT: '5',
      LOGIN_RATE_LIMIT_MAX: '10',
    });
    expect(config.loginRateLimit).toEqual({ failuresPerAddress: 250, failuresPerAccount: 5, windowMinutes: 15 });
    expect(config.warnings).toEqual([
      expect.stringMatching(/^LOGIN_RATE_LIMIT_MAX is no longer read: .*LOGIN_FAILURES_PER_ADDRESS/),
    ]);
  });

  test('every problem is reported at once', () => {
    expect(problemsOf({ PORT: 'x', DEFAULT_LOCALE: 'fr' })).toHaveLength(2);
  });

  test('DATABASE_URL selects the server mode; TRUST_PROXY and booleans are parsed', () => {
    const config = parseConfig({
      DATABASE_URL: 'postgresql://app:secret@db.internal:5432/inbeeld',
      DATABASE_POOL_SIZE: '20',
      MIGRATE_ON_START: 'true',
      TRUST_PROXY: '1',
      ORGANISATION_NAME: 'Werkpunt Noord',
    });
    expect(config.database).toEqual({
      mode: 'server',
      url: 'postgresql://app:secret@db.internal:5432/inbeeld',
      poolSize: 20,
      connectTimeoutMs: 3000,
    });
    expect(config.migrateOnStart).toBe(true);
    expect(config.trustProxy).toBe(1);
    expect(parseConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(config.organisationName).toBe('Werkpunt Noord');
  });

  test('.env is read when present, and the real environment wins over it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'inbeeld-env-'));
    const file = path.join(dir, '.env');
    writeFileSync(file, 'PORT=4000\nORGANISATION_NAME="Werkpunt Zuid"\n# a comment\n');
    const env: NodeJS.ProcessEnv = { PORT: '5000' };
    loadDotEnv(env, file);
    expect(env.PORT).toBe('5000');
    expect(env.ORGANISATION_NAME).toBe('Werkpunt Zuid');
    loadDotEnv(env, path.join(dir, 'missing.env'));
  });
});

describe('documentation of the configuration', () => {
  const root = path.resolve(__dirname, '..', '..');
  test.each(CONFIG_VARIABLES)('%s is in .env.example and in the README', (variable) => {
    expect(readFileSync(path.join(root, '.env.example'), 'utf8')).toMatch(new RegExp(`^${variable}=`, 'm'));
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(`| \`${variable}\` |`);
  });
});

describe('metrics', () => {
  test('off unless METRICS_PORT is set; on 127.0.0.1 unless METRICS_HOST says otherwise', () => {
    expect(parseConfig({}).metrics).toEqual({ port: null, host: '127.0.0.1' });
    expect(parseConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(parseConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' }).metrics).toEqual({ port: 9464, host: '10.0.0.5' });
  });

  test('a METRICS_PORT that is no port, or the app port, stops the process', () => {
    expect(() => parseConfig({ METRICS_PORT: 'nine' })).toThrow(/METRICS_PORT/);
    expect(() => parseConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
    expect(() => parseConfig({ PORT: '3000', METRICS_PORT: '3000' })).toThrow(/METRICS_PORT must differ from PORT/);
  });
});
