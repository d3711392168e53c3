import type { Config } from 'jest';
import base from './jest.config';

// Browser tests: the real app on a loopback port, driven in Debian's Chromium by playwright-core.
const config: Config = {
  ...base,
  testMatch: ['**/*.browser.ts'],
  testTimeout: 60000,
  maxWorkers: 1,
};

export default config;
