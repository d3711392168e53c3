// Percentiles and number formatting shared by `npm run bench` and `npm run bench:growth`.

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of values sorted ascending (p in 0–100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50/p95/p99, mean and max of a set of latencies in milliseconds. */
export function summarise(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.length ? sum / sorted.length : Number.NaN),
    max: round(sorted.length ? sorted[sorted.length - 1]! : Number.NaN),
  };
}

/** Milliseconds to two decimals: finer than any timer noise on a shared machine. */
export function round(value: number, decimals = 2): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export function ratio(value: number | undefined, base: number | undefined): number | null {
  if (value === undefined || base === undefined || !Number.isFinite(value) || !Number.isFinite(base) || base <= 0) return null;
  return round(value / base, 2);
}

export function ms(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '–';
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export function times(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${value.toFixed(value >= 10 ? 0 : 1)}×`;
}

export function bytes(value: number): string {
  if (value >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(1)} MiB`;
  if (value >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${value} B`;
}

/** A plain text table: columns padded to their widest cell, numbers right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => (row[index] ?? '').length)));
  const numeric = (cell: string) => /^[-–\d.,×%/ ]+(ms|×|KiB|MiB|B)?$/.test(cell) && cell !== '';
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (index > 0 && numeric(cell) ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}
