// node dist/scripts/bench-import.js [--rows 10000] [--prefix BI]
//
// Measures the import of participants (src/imports) on the database of DATABASE_URL: builds a CSV of
// `--rows` participants (each with a coach by email and a trajectory), then times the dry run and the
// import (planning, staging in batches of 500, the one publish with audit and stored risk state) as
// the app does them, and checks that the stored risk state has no differences afterwards (what
// `npm run risk:check` checks). Once more with the same file: every row is skipped. Writes to the
// database: use a scratch one (bench/README.md "Import").
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfigOrExit } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { systemClock } from '../src/lib/clock';
import type { Viewer } from '../src/lib/viewer';
import { previewUpload, runImport, storeUpload } from '../src/imports/service';
import { findRiskStateDifferences } from '../src/risk/state';

const DOMAIN = 'import-bench.inbeeld.test';
const COACHES = 20;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { rows: { type: 'string', default: '10000' }, prefix: { type: 'string', default: 'BI' } },
  });
  const rows = Number(values.rows);
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  const { db } = database;
  try {
    if (database.mode === 'embedded') await migrateToLatest(db);
    const team = await db
      .insertInto('teams')
      .values({ name: 'Import bench' })
      .onConflict((oc) => oc.expression(sql`lower(name)`).doUpdateSet({ name: 'Import bench' }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const admin = await db
      .insertInto('users')
      .values({ email: `admin@${DOMAIN}`, display_name: 'Import bench admin', role: 'admin', team_id: null, password_hash: null })
      .onConflict((oc) => oc.column('email').doUpdateSet({ display_name: 'Import bench admin' }))
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let coach = 1; coach <= COACHES; coach += 1) {
      await db
        .insertInto('users')
        .values({
          email: `coach${coach}@${DOMAIN}`,
          display_name: `Coach ${coach}`,
          role: 'coach',
          team_id: team.id,
          password_hash: null,
        })
        .onConflict((oc) => oc.column('email').doNothing())
        .execute();
    }
    await db
      .insertInto('commissioners')
      .values({ name: 'Import bench UWV', kind: 'uwv' })
      .onConflict((oc) => oc.expression(sql`lower(name)`).doNothing())
      .execute();

    const lines = [
      'Referentie;Voornaam;Achternaam;Geboortedatum;Jobcoach (e-mail);Opdrachtgever;Start traject;Geplande einddatum;Toegekende uren',
    ];
    for (let row = 1; row <= rows; row += 1) {
      const day = String((row % 28) + 1).padStart(2, '0');
      const month = String((row % 12) + 1).padStart(2, '0');
      lines.push(
        `${values.prefix}-${row};Voornaam${row};Achternaam${row};${day}-${month}-19${50 + (row % 50)};coach${(row % COACHES) + 1}@${DOMAIN};Import bench UWV;01-${month}-2026;31-12-2027;${row % 200}`,
      );
    }
    const content = Buffer.from(lines.join('\r\n'), 'utf8');
    const now = systemClock.now();
    const viewer: Viewer = {
      userId: admin.id,
      role: 'admin',
      teamId: null,
      today: now.setZone(config.timeZone).toISODate()!,
      timeZone: config.timeZone,
    };
    console.log(`File: ${rows} participant rows, ${(content.length / 1024 / 1024).toFixed(2)} MB.`);

    for (const pass of ['first', 'second']) {
      await storeUpload(db, viewer, { kind: 'participants', fileName: 'bench.csv', content }, now.toJSDate());
      let started = performance.now();
      const preview = await previewUpload(db, viewer, now.toJSDate());
      const previewMs = performance.now() - started;
      if (preview.kind !== 'preview' || preview.plan.problems.length > 0)
        throw new Error(`preview failed: ${JSON.stringify(preview).slice(0, 500)}`);
      started = performance.now();
      const outcome = await runImport(db, viewer, now.toJSDate());
      const importMs = performance.now() - started;
      if (outcome.kind !== 'imported') throw new Error(`import failed: ${outcome.kind}`);
      console.log(
        `${pass} run: dry run ${(previewMs / 1000).toFixed(1)} s (create ${preview.plan.counts.create}, update ${preview.plan.counts.update}, skip ${preview.plan.counts.skip}); import ${(importMs / 1000).toFixed(1)} s (batch ${outcome.batchId})`,
      );
    }
    const differences = await findRiskStateDifferences(db, systemClock.now(), config.timeZone);
    console.log(`Risk state differences after the import: ${differences.length}.`);
    return differences.length === 0 ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('Import bench failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
