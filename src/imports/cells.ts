import { parseDateInput } from '../lib/form-fields';
import { choiceFor, type ChoiceList } from './fields';
import type { SheetCell } from './reader';

// Reading one cell into a value, or a problem in words. Every reader returns the value or records a
// problem (its message key under imports.problems) for the row's column and returns undefined.

export interface ImportProblem {
  /** The spreadsheet's row number (1 is the header row; 0 for the file as a whole). */
  line: number;
  /** The column's header as the file has it, or null for the whole row. */
  column: string | null;
  code: string;
  params?: Record<string, string | number>;
}

export class RowReader {
  readonly problems: ImportProblem[] = [];

  constructor(
    readonly line: number,
    private readonly cells: Map<string, { header: string; cell: SheetCell }>,
  ) {}

  header(key: string): string | null {
    return this.cells.get(key)?.header ?? null;
  }

  problem(key: string | null, code: string, params?: Record<string, string | number>): undefined {
    this.problems.push({ line: this.line, column: key === null ? null : this.header(key), code, ...(params ? { params } : {}) });
    return undefined;
  }

  /** The cell's text, trimmed; a formula is a problem (its computed value is not trusted). */
  private raw(key: string): string | undefined {
    const found = this.cells.get(key);
    if (!found) return '';
    if (found.cell.formula) return this.problem(key, 'formula');
    return found.cell.text.trim();
  }

  text(key: string, max: number, required: boolean): string | null | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (value === '') return required ? this.problem(key, 'required') : null;
    if (value.length > max) return this.problem(key, 'tooLong', { max });
    return value;
  }

  date(key: string, required: boolean): string | null | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (value === '') return required ? this.problem(key, 'required') : null;
    const iso = parseDateInput(value);
    return iso ?? this.problem(key, 'date', { value: value.slice(0, 40) });
  }

  number(key: string, min: number, max: number, required: boolean): number | null | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (value === '') return required ? this.problem(key, 'required') : null;
    const parsed = Number(value.replace(',', '.'));
    if (!/^-?\d+([.,]\d+)?$/.test(value) || !Number.isFinite(parsed))
      return this.problem(key, 'number', { value: value.slice(0, 40) });
    if (parsed < min || parsed > max) return this.problem(key, 'range', { min, max });
    return parsed;
  }

  email(key: string, required: boolean): string | null | undefined {
    const value = this.text(key, 254, required);
    if (value === undefined || value === null) return value;
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value : this.problem(key, 'email', { value: value.slice(0, 60) });
  }

  choice<L extends ChoiceList>(key: string, list: L, required: boolean): string | null | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (value === '') return required ? this.problem(key, 'required') : null;
    const code = choiceFor(list, value);
    return code === null ? this.problem(key, 'choice', { value: value.slice(0, 40) }) : (code as string);
  }
}
