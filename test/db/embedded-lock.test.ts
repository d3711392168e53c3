import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedDatabaseInUse, LOCK_FILE_NAME, lockEmbeddedDataDir } from '../../src/db/embedded-lock';

// One process per embedded data directory (src/db/embedded-lock.ts): a second one — a script next
// to the running app — is refused with a message that says what to do; a lock left by a process that
// died is taken over.

let dataDir: string;
const lockFile = () => path.join(dataDir, LOCK_FILE_NAME);

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'inbeeld-lock-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

test('the process that opens the folder holds it until it lets go', () => {
  const release = lockEmbeddedDataDir(dataDir);
  expect(readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\n${os.hostname()}\n`);
  release();
  expect(existsSync(lockFile())).toBe(false);
});

test('another running process on this machine is refused, and its lock stays', () => {
  // The parent of this test process runs for as long as the test does.
  writeFileSync(lockFile(), `${process.ppid}\n${os.hostname()}\n`);
  expect(() => lockEmbeddedDataDir(dataDir)).toThrow(EmbeddedDatabaseInUse);
  expect(() => lockEmbeddedDataDir(dataDir)).toThrow(
    new RegExp(`in use by process ${process.ppid} .*stop the app first.*delete ${lockFile().replace(/[.\\/]/g, '\\$&')}`),
  );
  expect(readFileSync(lockFile(), 'utf8')).toBe(`${process.ppid}\n${os.hostname()}\n`);
});

test('a lock of another machine is refused: whether its process runs cannot be told from here', () => {
  writeFileSync(lockFile(), `${process.pid}\nanother-machine\n`);
  expect(() => lockEmbeddedDataDir(dataDir)).toThrow(/in use by process \d+ on another-machine/);
});

test('a lock left by a process that is gone is taken over, and released again', () => {
  const gone = spawnSync(process.execPath, ['-e', '0']).pid;
  writeFileSync(lockFile(), `${gone}\n${os.hostname()}\n`);
  const release = lockEmbeddedDataDir(dataDir);
  expect(readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\n${os.hostname()}\n`);
  // A release never removes a lock that is no longer this process's.
  writeFileSync(lockFile(), `${process.ppid}\n${os.hostname()}\n`);
  release();
  expect(existsSync(lockFile())).toBe(true);
});
