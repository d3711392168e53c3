import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

// Reads an uploaded spreadsheet as a stream of rows of text cells, whatever it came as: XLSX (read
// with exceljs from the upload in memory, first worksheet; see readXlsx), or CSV in UTF-8 with or without a byte-order
// mark or in Windows-1252 (what Excel's "CSV" writes on a Dutch or Belgian Windows), separated by
// `;` (Excel in nl/be) or `,`. A formula is never evaluated or trusted: its cell says so, and the
// preview lists it as a problem.

export interface SheetCell {
  text: string;
  /** An Excel formula, or a CSV value that starts with "=" (what a spreadsheet would compute). */
  formula: boolean;
}

export interface SheetRow {
  /** The row's number as the spreadsheet shows it (1 is the header row). */
  line: number;
  cells: SheetCell[];
}

/** The file cannot be read as a spreadsheet at all; the code is a message key under imports.file. */
export class ImportFileError extends Error {
  constructor(
    readonly code: 'unreadable' | 'empty' | 'brokenCsv',
    readonly line?: number,
  ) {
    super(`import file: ${code}`);
  }
}

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function isXlsx(content: Buffer): boolean {
  return content.subarray(0, 4).equals(ZIP_SIGNATURE);
}

/** UTF-8 when the bytes are valid UTF-8 (a byte-order mark says so too), else Windows-1252. */
export function csvEncodingOf(content: Buffer): 'utf8' | 'win1252' {
  if (content.subarray(0, 3).equals(UTF8_BOM)) return 'utf8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return 'utf8';
  } catch {
    return 'win1252';
  }
}

/** `;` or `,`: whichever the header line has more of outside quotes (Excel's nl/be CSV uses `;`). */
export function csvDelimiterOf(firstLine: string): ';' | ',' {
  let inQuotes = false;
  let semicolons = 0;
  let commas = 0;
  for (const character of firstLine) {
    if (character === '"') inQuotes = !inQuotes;
    else if (!inQuotes && character === ';') semicolons += 1;
    else if (!inQuotes && character === ',') commas += 1;
  }
  return semicolons >= commas && semicolons > 0 ? ';' : commas > 0 ? ',' : ';';
}

const isBlank = (cells: SheetCell[]) => cells.every((cell) => cell.text.trim() === '');

/** Every non-empty row of the file, the header row first. */
export async function* readSheet(content: Buffer): AsyncGenerator<SheetRow> {
  if (content.length === 0) throw new ImportFileError('empty');
  const rows = isXlsx(content) ? readXlsx(content) : readCsv(content);
  let any = false;
  for await (const row of rows) {
    if (isBlank(row.cells)) continue;
    any = true;
    yield row;
  }
  if (!any) throw new ImportFileError('empty');
}

async function* readCsv(content: Buffer): AsyncGenerator<SheetRow> {
  const encoding = csvEncodingOf(content);
  const head = iconv.decode(content.subarray(0, 4096), encoding).split(/\r?\n/)[0] ?? '';
  const parser = Readable.from([content])
    .pipe(iconv.decodeStream(encoding))
    .pipe(parse({ delimiter: csvDelimiterOf(head), bom: true, relax_column_count: true, relax_quotes: true, info: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield {
        line: info.lines,
        cells: record.map((text) => ({ text, formula: text.startsWith('=') && text.length > 1 })),
      };
    }
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    throw new ImportFileError('brokenCsv', typeof line === 'number' ? line : undefined);
  }
}

/** A cell's value as text: dates as ISO days, numbers as they are, rich text and links by their text. */
function cellText(value: unknown): SheetCell {
  if (value === null || value === undefined) return { text: '', formula: false };
  if (value instanceof Date)
    return { text: Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10), formula: false };
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('formula' in object || 'sharedFormula' in object) return { text: cellText(object.result).text, formula: true };
    if (Array.isArray(object.richText)) {
      return { text: (object.richText as Array<{ text?: string }>).map((part) => part.text ?? '').join(''), formula: false };
    }
    if (typeof object.text === 'string') return { text: object.text, formula: false };
    if (typeof object.error === 'string') return { text: object.error, formula: false };
    return { text: '', formula: false };
  }
  return {
    text: typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '',
    formula: false,
  };
}

async function* readXlsx(content: Buffer): AsyncGenerator<SheetRow> {
  // The whole workbook is loaded from the buffer the upload already is (at most 10 MB), not through
  // exceljs's streaming WorkbookReader: that reader parks a worksheet stored before the shared
  // strings (as Excel and exceljs write them) in a temporary file and, under load, sometimes read it
  // back incomplete, so a file's rows or headers went missing at random.
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new ImportFileError('unreadable');
  }
  // Only the first worksheet: the template has one, and a second is usually notes.
  const worksheet = workbook.worksheets[0];
  if (!worksheet) return;
  const rows: SheetRow[] = [];
  worksheet.eachRow((row) => {
    const values = Array.isArray(row.values) ? row.values : [];
    const cells: SheetCell[] = [];
    // row.values is 1-based and sparse: column A is index 1.
    for (let column = 1; column < values.length; column += 1) cells.push(cellText(values[column]));
    rows.push({ line: row.number, cells });
  });
  yield* rows;
}
