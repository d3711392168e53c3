// The period export's own work without HTTP: what GET /reports/export calls (src/reports/controller.ts):
// the query string parsed by PeriodExportQuery, startPeriodExport (audit event, cursor query, first
// row) and every row read to the end, but no CSV writing and no response.
import type { Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import type { Database } from '../../src/db/schema';
import type { Viewer } from '../../src/lib/viewer';
import { PeriodExportQuery } from '../../src/reports/schemas';
import { startPeriodExport } from '../../src/reports/service';

export function exportBaseline(
  db: Kysely<Database>,
  viewer: Viewer,
  commissioner: { id: number; from: string; to: string },
  context: { timeZone: string; now: () => DateTime; pseudonymSecret: string },
): (index: number) => Promise<number> {
  return async () => {
    const query = PeriodExportQuery.safeParse({
      commissionerId: String(commissioner.id),
      periodKind: 'custom',
      from: commissioner.from,
      to: commissioner.to,
      format: 'csv',
      separator: 'comma',
    });
    if (!query.success) throw new Error(`the export query is invalid: ${query.error.message}`);
    const started = await startPeriodExport(db, viewer, query.data, {
      timeZone: context.timeZone,
      pseudonymSecret: context.pseudonymSecret,
    });
    if (started.kind === 'rejected') throw new Error(`the export was refused: ${JSON.stringify(started.errors)}`);
    let rows = 0;
    try {
      for await (const row of started.rows) if (row) rows += 1;
    } finally {
      await started.close();
    }
    return rows;
  };
}
