import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
// Types only: exceljs is loaded by writePeriodXlsx when a workbook is asked for, not at startup.
import type ExcelJS from 'exceljs';
import { TRAJECTORY_OUTCOMES } from '../db/schema';
import type { Translate } from '../platform/i18n';
import type { DayRange } from './periods';
import type { CsvSeparator } from './schemas';
import { PeriodExportTotals, type PeriodExportRow } from './service';

// The files of a period export: a CSV (UTF-8 with BOM, for Excel) or an XLSX workbook with typed
// cells and a totals sheet. Both are written while the rows arrive from the database, with
// backpressure, so memory use does not depend on the number of rows.

type CellKind = 'text' | 'date' | 'hours' | 'count';

interface ExportColumn {
  /** i18n key of the header. */
  header: string;
  kind: CellKind;
  /** Column width in characters (XLSX) that fits the column's typical values; widened to fit its header. */
  width: number;
  /** Text, an ISO date, hundredths of hours (kind 'hours') or a count; null for an empty cell. */
  value(row: PeriodExportRow): string | number | null;
}

/** A fixed label by key, translated once per export: the same few (kind, status, outcome) come back on every row. */
function labelLookup(t: Translate): (key: string) => string {
  const labels = new Map<string, string>();
  return (key) => {
    let text = labels.get(key);
    if (text === undefined) {
      text = t(key);
      labels.set(key, text);
    }
    return text;
  };
}

/**
 * The columns in file order. Pseudonymised (decisions.md "Import and retention"): a keyed pseudonym
 * per participant and one per trajectory, the coach's team instead of the coach, and no name, birth
 * date or reference. The ordinary export keeps the trajectory's own reference, as the commissioner
 * pays per trajectory. The reference on the participant's profile is never exported: it may be
 * another funder's case number (issue 17).
 */
function periodExportColumns(t: Translate, pseudonymise: boolean): ExportColumn[] {
  const label = labelLookup(t);
  const who: ExportColumn[] = pseudonymise
    ? [
        { header: 'reports.file.columns.trajectoryPseudonym', kind: 'text', width: 20, value: (row) => row.trajectoryPseudonym },
        { header: 'reports.file.columns.pseudonym', kind: 'text', width: 20, value: (row) => row.pseudonym },
        { header: 'reports.file.columns.team', kind: 'text', width: 22, value: (row) => row.teamName },
      ]
    : [
        { header: 'reports.file.columns.reference', kind: 'text', width: 20, value: (row) => row.reference },
        { header: 'reports.file.columns.participant', kind: 'text', width: 28, value: (row) => row.participantName },
        { header: 'reports.file.columns.dateOfBirth', kind: 'date', width: 13, value: (row) => row.dateOfBirth },
        { header: 'reports.file.columns.coach', kind: 'text', width: 22, value: (row) => row.coachName },
      ];
  return [
    ...who,
    { header: 'reports.file.columns.kind', kind: 'text', width: 22, value: (row) => label(`trajectories.kinds.${row.kind}`) },
    { header: 'reports.file.columns.startDate', kind: 'date', width: 13, value: (row) => row.startDate },
    { header: 'reports.file.columns.plannedEndDate', kind: 'date', width: 13, value: (row) => row.plannedEndDate },
    { header: 'reports.file.columns.endDate', kind: 'date', width: 13, value: (row) => row.endDate },
    {
      header: 'reports.file.columns.status',
      kind: 'text',
      width: 14,
      value: (row) => label(`reports.file.status.${row.statusAtPeriodEnd}`),
    },
    {
      header: 'reports.file.columns.outcome',
      kind: 'text',
      width: 22,
      value: (row) => (row.outcome ? label(`trajectories.outcomeLabels.${row.outcome}`) : null),
    },
    { header: 'reports.file.columns.hoursInPeriod', kind: 'hours', width: 14, value: (row) => row.hoursInPeriodHundredths },
    {
      header: 'reports.file.columns.hoursUpToPeriodEnd',
      kind: 'hours',
      width: 16,
      value: (row) => row.hoursUpToPeriodEndHundredths,
    },
    { header: 'reports.file.columns.grantedHours', kind: 'hours', width: 14, value: (row) => row.grantedHoursHundredths },
    { header: 'reports.file.columns.billableHours', kind: 'hours', width: 14, value: (row) => row.billableHoursHundredths },
    { header: 'reports.file.columns.contactsInPeriod', kind: 'count', width: 14, value: (row) => row.contactsInPeriod },
    { header: 'reports.file.columns.reachedInPeriod', kind: 'count', width: 14, value: (row) => row.reachedInPeriod },
    { header: 'reports.file.columns.goalsAchieved', kind: 'count', width: 12, value: (row) => row.goalsAchieved },
    { header: 'reports.file.columns.goalsTotal', kind: 'count', width: 12, value: (row) => row.goalsTotal },
    { header: 'reports.file.columns.hoursPerWeek', kind: 'hours', width: 14, value: (row) => row.hoursPerWeekHundredths },
  ];
}

/** Hundredths as a decimal with two digits, written from the integer so no float rounding creeps in. */
function decimalText(hundredths: number, decimalSeparator: '.' | ','): string {
  const whole = Math.trunc(hundredths / 100);
  const fraction = String(hundredths % 100).padStart(2, '0');
  return `${whole}${decimalSeparator}${fraction}`;
}

/** Lowercase ASCII words joined by hyphens, for a file name that survives every browser and OS. */
export function fileSlug(name: string, fallback: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return slug || fallback;
}

export interface ExportFileName {
  t: Translate;
  commissionerName: string;
  period: DayRange;
  pseudonymise: boolean;
  extension: 'csv' | 'xlsx';
}

/** periode-gemeente-zeist-2026-07-01-2026-09-30[-pseudoniem].csv, in the reader's language. */
export function exportFileName({ t, commissionerName, period, pseudonymise, extension }: ExportFileName): string {
  const slug = fileSlug(commissionerName, t('reports.file.commissionerFallback'));
  const suffix = pseudonymise ? `-${t('reports.file.pseudonymisedSuffix')}` : '';
  return `${t('reports.file.prefix')}-${slug}-${period.from}-${period.to}${suffix}.${extension}`;
}

export type WriteOutcome = 'complete' | 'aborted';

/** Errors that only mean the client went away during the download. */
const CLIENT_GONE_CODES = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED', 'ECONNRESET', 'EPIPE']);

function isClientGone(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CLIENT_GONE_CODES.has(code);
}

/**
 * Streams the CSV into the response: csv-stringify quotes any field with the separator, a quote or a
 * line break, and neutralises text that a spreadsheet would run as a formula. With ';' decimals
 * get a comma, as Dutch Excel reads them. A client that goes away ends the pipeline, which ends the
 * row iteration and so the database cursor.
 */
export async function writePeriodCsv(
  rows: AsyncIterable<PeriodExportRow>,
  res: ServerResponse,
  options: { t: Translate; pseudonymise: boolean; separator: CsvSeparator },
): Promise<WriteOutcome> {
  const columns = periodExportColumns(options.t, options.pseudonymise);
  const decimalSeparator = options.separator === 'semicolon' ? ',' : '.';
  const cellText = (column: ExportColumn, row: PeriodExportRow): string => {
    const value = column.value(row);
    if (value === null) return '';
    if (column.kind === 'hours') return decimalText(Number(value), decimalSeparator);
    return String(value);
  };
  async function* records(): AsyncGenerator<string[], void, undefined> {
    yield columns.map((column) => options.t(column.header));
    for await (const row of rows) yield columns.map((column) => cellText(column, row));
  }
  try {
    await pipeline(
      Readable.from(records()),
      stringify({
        bom: true,
        delimiter: options.separator === 'semicolon' ? ';' : ',',
        record_delimiter: 'windows',
        escape_formulas: true,
      }),
      res,
    );
    return 'complete';
  } catch (error) {
    if (isClientGone(error)) return 'aborted';
    throw error;
  }
}

/**
 * A column's width in Excel's units (characters of the default font) that shows its whole header
 * in bold and its typical values: the values' width, or the header's with a little room for the
 * bold face and the filter arrow, whichever is wider. Rows are streamed, so the width is fixed
 * before the first value is seen; a rare longer value is cut, as in any sheet.
 */
export function xlsxWidth(typicalValueWidth: number, header: string): number {
  return Math.max(typicalValueWidth, Math.ceil(header.length * 1.15) + 3);
}

/** An ISO day as the Date exceljs writes as that calendar day (it converts from UTC). */
function excelDate(iso: string): Date {
  const [year, month, day] = iso.split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, day));
}

const NUMBER_FORMATS: Record<CellKind, string | undefined> = {
  text: undefined,
  date: 'yyyy-mm-dd',
  hours: '0.00',
  count: '0',
};

function xlsxValue(column: ExportColumn, row: PeriodExportRow): string | number | Date | null {
  const value = column.value(row);
  if (value === null) return null;
  if (column.kind === 'date') return excelDate(String(value));
  if (column.kind === 'hours') return Number(value) / 100;
  return value;
}

interface Drainable {
  /** Node's own streams. */
  writableNeedDrain?: boolean;
  /** readable-stream 2 (archiver's input streams) has no writableNeedDrain, only its state. */
  _writableState?: { needDrain?: boolean };
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
}

function needsDrain(stream: Drainable): boolean {
  return typeof stream.writableNeedDrain === 'boolean' ? stream.writableNeedDrain : Boolean(stream._writableState?.needDrain);
}

/** Resolves once `stream` has room again, or at once when the download has ended. */
function roomIn(stream: Drainable | undefined, res: ServerResponse): Promise<void> {
  if (!stream || !needsDrain(stream) || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.removeListener('drain', done);
      res.removeListener('close', done);
      resolve();
    };
    stream.once('drain', done);
    res.once('close', done);
  });
}

/**
 * exceljs's sheet stream accepts every write at once and hands its 64 KB blocks to archiver's
 * input without waiting, so rows made faster than they are compressed (or than a slow client
 * reads them) would pile up there, up to the whole sheet. That input is a plain stream that does
 * track its fill level: waiting for it (and for the response) after each batch of rows keeps at
 * most about one block in flight. If a later exceljs changes these internals, only the response
 * is waited for.
 */
function sheetInput(sheet: ExcelJS.Worksheet): Drainable | undefined {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const first = Array.isArray(pipes) ? pipes[0] : undefined;
  return first && typeof (first as Drainable).once === 'function' ? (first as Drainable) : undefined;
}

interface Archive {
  on(event: 'error' | 'warning', listener: (error: Error) => void): unknown;
  unpipe(destination?: NodeJS.WritableStream): unknown;
  abort(): unknown;
}

/** Rows written between two backpressure checks. */
const ROWS_PER_CHECK = 100;

export interface XlsxOptions {
  t: Translate;
  pseudonymise: boolean;
  commissionerName: string;
  period: DayRange;
  /** When the file was made, already formatted for the reader. */
  generatedAt: string;
}

/**
 * Streams the workbook into the response: sheet 1 holds the rows with typed cells (dates as dates,
 * hours as numbers with two decimals, counts as whole numbers), a bold frozen header and column
 * widths; each row is committed (written out) at once. Sheet 2 holds the totals, summed while the
 * rows went by. A client that goes away stops the rows (and so the cursor) and the archive.
 */
export async function writePeriodXlsx(
  rows: AsyncIterable<PeriodExportRow>,
  res: ServerResponse,
  options: XlsxOptions,
): Promise<WriteOutcome> {
  const { stream } = await import('exceljs');
  const { t } = options;
  const columns = periodExportColumns(t, options.pseudonymise);
  let aborted = false;
  let notifyAbort: () => void = () => undefined;
  const abortedSignal = new Promise<void>((resolve) => {
    notifyAbort = resolve;
  });
  const onClose = () => {
    if (!res.writableFinished) {
      aborted = true;
      notifyAbort();
    }
  };
  res.on('close', onClose);

  const workbook = new stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  const archive = (workbook as unknown as { zip: Archive }).zip;
  let archiveError: Error | null = null;
  // Set from the archive's 'error' event, which TypeScript's narrowing cannot see: read it through here.
  const archiveFailure = (): Error | null => archiveError;
  archive.on('error', (error) => {
    archiveError = error;
    notifyAbort();
  });
  const stopArchive = () => {
    archive.unpipe(res);
    archive.abort();
  };

  try {
    const sheet = workbook.addWorksheet(t('reports.file.dataSheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((column, index) => ({
      key: `c${index}`,
      width: xlsxWidth(column.width, t(column.header)),
      style: NUMBER_FORMATS[column.kind] ? { numFmt: NUMBER_FORMATS[column.kind] } : {},
    }));
    const header = sheet.addRow(columns.map((column) => t(column.header)));
    header.font = { bold: true };
    header.commit();

    const totals = new PeriodExportTotals();
    const input = sheetInput(sheet);
    let sinceCheck = 0;
    for await (const row of rows) {
      totals.add(row);
      sheet.addRow(columns.map((column) => xlsxValue(column, row))).commit();
      sinceCheck += 1;
      if (sinceCheck >= ROWS_PER_CHECK) {
        sinceCheck = 0;
        await roomIn(input, res);
        await roomIn(res, res);
      }
      if (aborted || archiveError) break;
    }
    if (aborted) {
      stopArchive();
      return 'aborted';
    }
    const failedWhileWriting = archiveFailure();
    if (failedWhileWriting) throw failedWhileWriting;
    sheet.commit();
    writeTotalsSheet(workbook, totals, options);
    await Promise.race([workbook.commit(), abortedSignal]);
    const failedWhileClosing = archiveFailure();
    if (failedWhileClosing) throw failedWhileClosing;
    if (aborted) {
      stopArchive();
      return 'aborted';
    }
    return 'complete';
  } finally {
    res.off('close', onClose);
  }
}

function writeTotalsSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, totals: PeriodExportTotals, options: XlsxOptions): void {
  const { t } = options;
  const sheet = workbook.addWorksheet(t('reports.file.totalsSheet'));
  const hours = (hundredths: number) => ({ value: hundredths / 100, numFmt: '0.00' });
  const count = (value: number) => ({ value, numFmt: '0' });
  type Line = [label: string, cell?: { value: string | number; numFmt?: string }, bold?: boolean];
  const lines: Line[] = [
    [t('reports.file.totals.title', { commissioner: options.commissionerName }), undefined, true],
    [t('reports.file.totals.period'), { value: `${options.period.from} – ${options.period.to}` }],
    [t('reports.file.totals.pseudonymised'), { value: t(options.pseudonymise ? 'common.yes' : 'common.no') }],
    [t('reports.file.totals.generatedAt'), { value: options.generatedAt }],
    [''],
    [t('reports.file.totals.figures'), undefined, true],
    [t('reports.file.totals.trajectories'), count(totals.trajectories)],
    [t('reports.file.columns.hoursInPeriod'), hours(totals.hoursInPeriodHundredths)],
    [t('reports.file.columns.hoursUpToPeriodEnd'), hours(totals.hoursUpToPeriodEndHundredths)],
    [t('reports.file.columns.grantedHours'), hours(totals.grantedHoursHundredths)],
    [t('reports.file.columns.billableHours'), hours(totals.billableHoursHundredths)],
    [t('reports.file.columns.contactsInPeriod'), count(totals.contactsInPeriod)],
    [t('reports.file.columns.reachedInPeriod'), count(totals.reachedInPeriod)],
    [t('reports.file.columns.goalsAchieved'), count(totals.goalsAchieved)],
    [t('reports.file.columns.goalsTotal'), count(totals.goalsTotal)],
    [''],
    [t('reports.file.totals.perStatus'), undefined, true],
    [t('reports.file.status.open'), count(totals.perStatus.open)],
    [t('reports.file.status.closed'), count(totals.perStatus.closed)],
    [''],
    [t('reports.file.totals.perOutcome'), undefined, true],
    ...TRAJECTORY_OUTCOMES.map((outcome): Line => [
      t(`trajectories.outcomeLabels.${outcome}`),
      count(totals.perOutcome[outcome]),
    ]),
    [t('reports.file.totals.noOutcomeYet'), count(totals.perStatus.open)],
  ];
  // The label column fits its longest label (the title with the commissioner's name, a column name).
  const longest = lines.reduce((found, [label]) => (label.length > found.length ? label : found), '');
  sheet.columns = [{ width: xlsxWidth(30, longest) }, { width: 30 }];
  for (const [label, cell, bold] of lines) {
    const row = sheet.addRow([label, cell?.value ?? null]);
    if (cell?.numFmt) row.getCell(2).numFmt = cell.numFmt;
    if (bold) row.font = { bold: true };
    row.commit();
  }
  sheet.commit();
}
