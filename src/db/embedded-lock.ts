import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

// The embedded database (PGlite) is PostgreSQL inside the process that opens it: it keeps pages in
// its own memory and writes the data directory as if it were alone. PGlite does not stop a second
// process from opening the same folder — a script (`npm run retention`, `jobs:run`, …) next to the
// running app — and then each writes its own copy: seen on PGlite 0.5, a row the second process
// committed was gone after the app shut down, and the second process removed the app's
// postmaster.pid when it closed. So the process that opens the folder holds this file in it while
// it runs, and any other is refused with a clear message. A file left by a process that died
// (kill -9, power loss) names a process that no longer exists on this machine: it is taken over.

export const LOCK_FILE_NAME = 'inbeeld.lock';

export class EmbeddedDatabaseInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: string,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by ${holder} (a running InBeeld?). ` +
        'The embedded database serves one process: stop the app first, or use a PostgreSQL server (DATABASE_URL) ' +
        `to run scripts while the app runs. If no process uses this folder any more, delete ${path.join(dataDir, LOCK_FILE_NAME)}.`,
    );
    this.name = 'EmbeddedDatabaseInUse';
  }
}

/** Whether a process with this id runs on this machine (EPERM: it does, under another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory for this process (the folder must exist); returns the release, which
 * removes the file only while it is still this process's. Throws EmbeddedDatabaseInUse when another
 * running process holds it.
 */
export function lockEmbeddedDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE_NAME);
  const host = hostname();
  const mine = `${process.pid}\n${host}\n`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
        } catch {
          // Gone already: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let held: string;
    try {
      held = readFileSync(file, 'utf8');
    } catch {
      continue; // Released between the two calls: try again.
    }
    const [pidText = '', holderHost = ''] = held.split('\n');
    const pid = Number(pidText);
    // Our own id in the file is a process before a restart that was given the same id (a container's).
    const stale = holderHost === host && Number.isInteger(pid) && pid > 0 && (pid === process.pid || !isRunning(pid));
    if (!stale || attempt > 0) {
      throw new EmbeddedDatabaseInUse(dataDir, `process ${pidText || '?'} on ${holderHost || 'an unknown machine'}`);
    }
    unlinkSync(file);
  }
  throw new EmbeddedDatabaseInUse(dataDir, 'another process');
}
