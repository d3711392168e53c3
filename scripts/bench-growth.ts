// npm run bench:growth -- [--labels 1k,10k,100k] [file.json …]
//
// How each route grows with the data: reads bench result files (by default the latest successful
// one per label in bench/results/), orders them by the dataset's number of participants and prints
// each route's p50/p95 at each size and the ratio largest/smallest, checking the target of issue 7
// for the coach's pages (/today, /participants?page=1, /participants/:id, POST contact moment):
// at most 1.3× from the smallest to the largest dataset (1 000 → 100 000 participants), on p50 and p95.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bytes, ms, ratio, table, times } from './bench/stats';

const COACH_PAGE_GROWTH_LIMIT = 1.3;

interface ResultFile {
  file: string;
  label: string;
  startedAt: string;
  ok: boolean;
  git: { commit: string | null; dirty: boolean | null };
  dataset: { participants: number };
  routes: Array<{
    key: string;
    label: string;
    coachPage: boolean;
    status: string;
    http?: { latencyMs: { p50: number; p95: number }; requestsPerSecond: number };
    download?: { appRssBeforeKb: number | null; appRssPeakKb: number | null; bytesPerDownload: number };
  }>;
}

function repositoryRoot(): string {
  let folder = __dirname;
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`cannot find the repository root above ${__dirname}`);
    folder = parent;
  }
  return folder;
}

function read(file: string): ResultFile {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Omit<ResultFile, 'file'>;
  if (!parsed.label || !Array.isArray(parsed.routes) || !parsed.dataset) throw new Error(`${file} is not a bench result`);
  return { ...parsed, file };
}

function chooseResults(argv: string[], root: string): ResultFile[] {
  const labelsIndex = argv.indexOf('--labels');
  const labels = labelsIndex === -1 ? undefined : (argv[labelsIndex + 1] ?? '').split(',').filter(Boolean);
  const files = argv.filter((arg, index) => !arg.startsWith('--') && (labelsIndex === -1 || index !== labelsIndex + 1));
  if (files.length) return files.map((file) => read(path.resolve(file)));

  const folder = path.join(root, 'bench', 'results');
  const all = existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => name.endsWith('.json'))
        .map((name) => read(path.join(folder, name)))
        .filter((result) => result.ok)
    : [];
  const latest = new Map<string, ResultFile>();
  for (const result of all) {
    if (labels && !labels.includes(result.label)) continue;
    const current = latest.get(result.label);
    if (!current || current.startedAt < result.startedAt) latest.set(result.label, result);
  }
  for (const label of labels ?? []) {
    if (!latest.has(label)) console.warn(`No successful result with label ${label} in ${path.relative(root, folder)}.`);
  }
  return [...latest.values()];
}

function main(): void {
  const root = repositoryRoot();
  const results = chooseResults(process.argv.slice(2), root).sort((a, b) => a.dataset.participants - b.dataset.participants);
  if (results.length === 0) {
    console.error('No bench results to compare: run npm run bench on datasets of several sizes first.');
    process.exit(1);
  }
  for (const result of results) {
    console.log(
      `${result.label.padEnd(6)} ${String(result.dataset.participants).padStart(7)} participants  ${result.startedAt}  ` +
        `${result.git.commit?.slice(0, 10) ?? 'no commit'}${result.git.dirty ? ' (dirty)' : ''}  ${path.relative(root, result.file)}`,
    );
  }
  const commits = new Set(results.map((result) => result.git.commit));
  if (commits.size > 1) console.warn('Note: the results come from different commits.');
  console.log('');

  const smallest = results[0]!;
  const largest = results[results.length - 1]!;
  const keys: Array<{ key: string; label: string; coachPage: boolean }> = [];
  for (const result of results) {
    for (const route of result.routes) {
      if (!keys.some((known) => known.key === route.key))
        keys.push({ key: route.key, label: route.label, coachPage: route.coachPage });
    }
  }

  const header = [
    'route',
    ...results.map((result) => `${result.label} p50/p95`),
    `${largest.label}/${smallest.label} p50/p95`,
    'target',
  ];
  const rows = keys.map(({ key, label, coachPage }) => {
    const figures = results.map(
      (result) => result.routes.find((route) => route.key === key && route.status === 'measured')?.http,
    );
    const first = figures[0];
    const last = figures[figures.length - 1];
    const growth50 = ratio(last?.latencyMs.p50, first?.latencyMs.p50);
    const growth95 = ratio(last?.latencyMs.p95, first?.latencyMs.p95);
    let target = '';
    if (coachPage && results.length > 1) {
      const worst = Math.max(growth50 ?? Number.POSITIVE_INFINITY, growth95 ?? Number.POSITIVE_INFINITY);
      target =
        growth50 === null || growth95 === null
          ? 'n/a'
          : `${worst <= COACH_PAGE_GROWTH_LIMIT ? 'PASS' : 'FAIL'} ≤${COACH_PAGE_GROWTH_LIMIT}×`;
    }
    return [
      label.replace(/ \(coach, \d+ ids\)$/, ' (coach)'),
      ...figures.map((figure) => (figure ? `${ms(figure.latencyMs.p50)}/${ms(figure.latencyMs.p95)}` : '–')),
      `${times(growth50)}/${times(growth95)}`,
      target,
    ];
  });
  console.log(table(header, rows));

  const memory = results.map((result) => result.routes.find((route) => route.download && route.status === 'measured')?.download);
  if (memory.some(Boolean)) {
    console.log('');
    console.log(
      table(
        ['export', ...results.map((result) => result.label)],
        [
          ['app RSS before the downloads', ...memory.map((m) => (m?.appRssBeforeKb ? bytes(m.appRssBeforeKb * 1024) : '–'))],
          ['app peak RSS during the downloads', ...memory.map((m) => (m?.appRssPeakKb ? bytes(m.appRssPeakKb * 1024) : '–'))],
          ['bytes per download', ...memory.map((m) => (m ? bytes(m.bytesPerDownload) : '–'))],
        ],
      ),
    );
  }
}

main();
