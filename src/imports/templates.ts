import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { ImportKind } from '../db/schema';
import { IMPORT_FIELDS, templateHeader } from './fields';

// The downloadable templates: the header row of a kind, in the reader's language. The CSV is UTF-8
// with a byte-order mark and `;` between columns, which Excel on a Dutch or Belgian Windows opens
// as columns; the XLSX has the headers bold and frozen, and nothing else (no example row that
// could be imported by mistake).

export type TemplateFormat = 'csv' | 'xlsx';

export function templateHeaders(kind: ImportKind, language: 'nl' | 'en'): string[] {
  return IMPORT_FIELDS[kind].map((field) => templateHeader(field, language));
}

export async function templateFile(kind: ImportKind, language: 'nl' | 'en', format: TemplateFormat): Promise<Buffer> {
  const headers = templateHeaders(kind, language);
  if (format === 'csv')
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(stringify([headers], { delimiter: ';' }))]);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(kind);
  sheet.addRow(headers).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  headers.forEach((header, index) => (sheet.getColumn(index + 1).width = Math.max(14, header.length + 2)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
