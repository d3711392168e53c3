import type { Config } from 'jest';

// Checks with real processes: the built app (dist/) started as separate `node` processes against a
// real PostgreSQL, including a throw-away cluster that is stopped and started under them. They are
// slow and timing-sensitive, so they run one file at a time, apart from `npm test`.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/processes'],
  testMatch: ['**/*.process.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Builds dist/ once per run: every file starts `node dist/...` processes.
  globalSetup: '<rootDir>/test/processes/global-setup.ts',
  testTimeout: 120000,
  maxWorkers: 1,
};

export default config;
