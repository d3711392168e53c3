// A page and its own SQL timed in alternation: one request, then one replay of the statements the
// request's service sends, round after round. On a shared two-core machine the speed drifts by a
// third from one minute to the next (seen: the same commit's replayed /today SQL at p50 8.2 ms in
// one run and 15.6 ms in the next), so a page timed under load and its SQL timed a minute later
// compare the drift as much as the page. Paired rounds see the same machine, one request at a time,
// which is what "the page's cost above its own SQL" means.
import http from 'node:http';
import { round, summarise, type LatencySummary } from './stats';

export interface PairedResult {
  rounds: number;
  pageMs: LatencySummary;
  sqlMs: LatencySummary;
  /** pageMs.p50 − sqlMs.p50: what the page costs above its SQL. */
  gapP50Ms: number;
  /** The median of each round's page − SQL: the same figure, less moved by a slow minute. */
  medianRoundGapMs: number;
}

/** GETs over one kept-alive connection, reading the whole body; each throws on another status. */
export function pageGetter(
  baseUrl: string,
  headers: Record<string, string>,
  expectStatus: number,
): (path: string) => Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return (path) =>
    new Promise<void>((resolve, reject) => {
      const url = new URL(path, baseUrl);
      const outgoing = http.get(url, { agent, headers }, (response) => {
        response.on('data', () => undefined);
        response.on('end', () =>
          response.statusCode === expectStatus
            ? resolve()
            : reject(new Error(`GET ${path} answered ${response.statusCode} in the paired rounds`)),
        );
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.setTimeout(30_000, () => outgoing.destroy(new Error(`GET ${path} took over 30 s`)));
    });
}

/**
 * Up to `rounds` rounds of page then SQL within about `seconds`, after a few unmeasured ones;
 * round i requests page i and replays its statements (paths rotate as in the load).
 */
export async function timePaired(options: {
  page: (index: number) => Promise<void>;
  replay: (index: number) => Promise<void>;
  rounds: number;
  seconds: number;
}): Promise<PairedResult> {
  const { page, replay } = options;
  for (let index = 0; index < 5; index += 1) {
    await page(index);
    await replay(index);
  }
  const pageMs: number[] = [];
  const sqlMs: number[] = [];
  const started = performance.now();
  for (let index = 0; index < options.rounds; index += 1) {
    let start = performance.now();
    await page(index);
    pageMs.push(performance.now() - start);
    start = performance.now();
    await replay(index);
    sqlMs.push(performance.now() - start);
    if (index >= 20 && performance.now() - started > options.seconds * 1000) break;
  }
  const pageSummary = summarise(pageMs);
  const sqlSummary = summarise(sqlMs);
  return {
    rounds: pageMs.length,
    pageMs: pageSummary,
    sqlMs: sqlSummary,
    gapP50Ms: round(pageSummary.p50 - sqlSummary.p50),
    medianRoundGapMs: summarise(pageMs.map((value, index) => value - sqlMs[index]!)).p50,
  };
}
