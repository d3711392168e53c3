import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Database } from './schema';
import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';

/**
 * The migrations folder: `migrations/` at the repository root when running from source (tests),
 * `dist/migrations/` when running the compiled app.
 */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', 'migrations');

/**
 * Loads migrations with `require`, not `import()`: it works the same for the compiled .js files
 * and for the .ts sources that Jest transforms, and it needs no experimental loader.
 */
export class RequireMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string = MIGRATIONS_DIR) {}

  getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of readdirSync(this.folder).sort()) {
      if (!/\.(js|ts)$/.test(file) || file.endsWith('.d.ts')) continue;
      const name = file.replace(/\.(js|ts)$/, '');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      migrations[name] = require(path.join(this.folder, file)) as Migration;
    }
    return Promise.resolve(migrations);
  }
}

export function createMigrator(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: new RequireMigrationProvider() });
}

export interface MigrationReport {
  applied: string[];
  error?: unknown;
}

function summarise(result: MigrationResultSet): MigrationReport {
  const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => `${r.direction} ${r.migrationName}`);
  return { applied, error: result.error };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const report = summarise(await createMigrator(db).migrateToLatest());
  if (report.error) throw asError(report.error);
  return report.applied;
}

export async function rollbackOneStep(db: Kysely<Database>): Promise<string[]> {
  const report = summarise(await createMigrator(db).migrateDown());
  if (report.error) throw asError(report.error);
  return report.applied;
}

/** Kysely reports a failed migration as whatever the migration threw. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
}
