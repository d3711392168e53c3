// npm run db:backup [-- --out FILE]
//
// A PostgreSQL custom-format dump (pg_dump -Fc) of the configured server database, for pg_restore.
// Left out of it: the rows of `sessions` (a restored copy must not accept the cookies of people
// signed in when the backup was made), `rate_limit_hits` (sign-in throttling belongs to the moment)
// and `set_password_links` (an invitation link mailed before the backup must not work on a copy).
// The tables themselves are in the dump, empty, so a restore gives a complete schema.
//
// The password of DATABASE_URL goes to pg_dump in its environment, never on its command line (where
// `ps` would show it to every user of the machine).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { loadConfigOrExit } from '../src/config';

/** Data a backup does not carry; see above. */
export const TABLES_WITHOUT_DATA = ['sessions', 'rate_limit_hits', 'set_password_links'] as const;

function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const config = loadConfigOrExit();
  if (config.database.mode === 'embedded') {
    console.error(
      [
        'db:backup works on a PostgreSQL server (DATABASE_URL); this configuration uses the embedded database.',
        `Back it up by stopping InBeeld and copying its data directory, for example:`,
        `  tar -czf inbeeld-embedded-${DateTime.now().toFormat('yyyyMMdd-HHmmss')}.tar.gz -C ${path.dirname(path.resolve(config.database.dataDir))} ${path.basename(path.resolve(config.database.dataDir))}`,
      ].join('\n'),
    );
    process.exit(2);
  }
  const out = path.resolve(values.out ?? `inbeeld-${DateTime.now().toFormat('yyyyMMdd-HHmmss')}.dump`);
  if (existsSync(out)) {
    console.error(`${out} exists already; choose another --out.`);
    process.exit(2);
  }

  const url = new URL(config.database.url);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const args = [
    '--format=custom',
    '--no-owner',
    '--no-privileges',
    ...TABLES_WITHOUT_DATA.map((table) => `--exclude-table-data=public.${table}`),
    `--file=${out}`,
    `--dbname=${url.toString()}`,
  ];
  const dump = spawn('pg_dump', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  });
  dump.on('error', (error) => {
    console.error(
      `pg_dump could not be started (${error.message}): install PostgreSQL's client tools (Debian: postgresql-client).`,
    );
    process.exit(1);
  });
  dump.on('exit', (code) => {
    if (code !== 0) {
      console.error(`pg_dump failed (exit ${code}); no backup was made.`);
      process.exit(1);
    }
    console.log(`Backup written to ${out}`);
    console.log(`Restore into a new, empty database with: pg_restore --no-owner --dbname=<new database URL> ${out}`);
  });
}

main();
