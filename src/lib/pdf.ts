import { PassThrough, type Readable } from 'node:stream';

/** pdfkit's document class, loaded by ReportPdf.create on the first report rather than at startup. */
type PdfKitDocumentClass = typeof import('pdfkit');

/**
 * A small, opinionated PDF writer for the reports InBeeld hands out (trajectory reports for a
 * commissioner, the subject-access summary for a participant). Every report looks the same: title
 * block on page 1, headings, paragraphs, label/value lists, tables, notices, and a footer on every
 * page with the organisation, when it was made and "page n of N".
 *
 * Layout is done here rather than by pdfkit's own text flow: every line is wrapped and placed by
 * this class, so a page break only happens where we decide (a table's header is repeated, a row is
 * kept whole) and pdfkit never adds a page on its own.
 */

export interface ReportPdfOptions {
  /** Big title on page 1 and the PDF's metadata Title. */
  title: string;
  /** Line under the title (e.g. participant + period). */
  subtitle?: string;
  /** Shown at the top of page 1 and in every page's footer; metadata Author. */
  organisationName: string;
  /** Already translated, e.g. "Gemaakt op 23-11-2026 14:05" (footer of every page). */
  generatedLine: string;
  /** Translated, e.g. (1, 3) => "Pagina 1 van 3". */
  pageLabel: (page: number, pages: number) => string;
  /** The document's /Lang (nl-NL, nl-BE or en-GB). */
  language: 'nl' | 'nl-BE' | 'en';
  /** Metadata CreationDate; pdfkit's own clock when absent. */
  creationDate?: Date;
}

export interface PdfColumn {
  header: string;
  /** Relative weight: the columns share the text width in proportion to their weights. */
  width: number;
  align?: 'left' | 'right';
}

const REGULAR = 'InBeeldSans';
const BOLD = 'InBeeldSans-Bold';
// DejaVu covers every European script a participant's name may use (Ş, Ç, Ł, ő, ...), and an
// embedded TrueType font keeps the text selectable and extractable.
const REGULAR_FONT_FILE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD_FONT_FILE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const MARGIN = 50;
/** Space kept free at the bottom of every page for the footer. */
const FOOTER_HEIGHT = 36;
const BODY_SIZE = 10;
const SMALL_SIZE = 8;
const TABLE_SIZE = 9;
const TABLE_HEADER_SIZE = 8.5;
const TITLE_SIZE = 18;
const HEADING_SIZES = { 1: 13, 2: 11 } as const;
const CELL_PADDING = 3;
const TEXT_COLOUR = '#1a1a1a';
const MUTED_COLOUR = '#595959';
const RULE_COLOUR = '#b3b3b3';
const HEADER_FILL = '#ececec';
const NOTICE_FILL = '#fff4e0';
const NOTICE_BORDER = '#b36b00';

const languageTags = { nl: 'nl-NL', 'nl-BE': 'nl-BE', en: 'en-GB' } as const;

interface TextStyle {
  font: typeof REGULAR | typeof BOLD;
  size: number;
  colour: string;
}

const bodyStyle: TextStyle = { font: REGULAR, size: BODY_SIZE, colour: TEXT_COLOUR };
const boldBodyStyle: TextStyle = { font: BOLD, size: BODY_SIZE, colour: TEXT_COLOUR };
const mutedBodyStyle: TextStyle = { font: REGULAR, size: BODY_SIZE, colour: MUTED_COLOUR };
const tableStyle: TextStyle = { font: REGULAR, size: TABLE_SIZE, colour: TEXT_COLOUR };
const mutedTableStyle: TextStyle = { font: REGULAR, size: TABLE_SIZE, colour: MUTED_COLOUR };

/** One cell of a laid-out row: its wrapped lines and where they go. */
interface LaidOutCell {
  lines: string[];
  x: number;
  width: number;
  align: 'left' | 'right';
  style: TextStyle;
}

export class ReportPdf {
  private readonly doc: PDFKit.PDFDocument;
  private readonly options: ReportPdfOptions;
  /** Where the next block starts on the current page. */
  private y = MARGIN;
  private finished = false;

  /**
   * A new report. pdfkit (and its font and compression code) is imported here, on the first report
   * a process makes, instead of when the app starts: most processes never make a PDF.
   */
  static async create(options: ReportPdfOptions): Promise<ReportPdf> {
    const { default: PDFDocument } = await import('pdfkit');
    return new ReportPdf(PDFDocument, options);
  }

  private constructor(PDFDocument: PdfKitDocumentClass, options: ReportPdfOptions) {
    this.options = options;
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
      bufferPages: true,
      autoFirstPage: true,
      lang: languageTags[options.language],
      displayTitle: true,
      info: {
        Title: options.title,
        Author: options.organisationName,
        Creator: 'InBeeld',
        ...(options.creationDate ? { CreationDate: options.creationDate } : {}),
      },
    });
    this.doc.registerFont(REGULAR, REGULAR_FONT_FILE);
    this.doc.registerFont(BOLD, BOLD_FONT_FILE);
    this.writeTitleBlock();
  }

  heading(text: string, level: 1 | 2 = 1): this {
    const style: TextStyle = { font: BOLD, size: HEADING_SIZES[level], colour: TEXT_COLOUR };
    const lines = this.wrap(text, this.contentWidth, style);
    const headingHeight = lines.length * this.lineHeight(style);
    // Keep a heading with what follows it: room for a table's header and a first row of up to three
    // lines (table() itself moves to a new page when those do not fit, which would orphan the heading).
    const keepWithNext = 6 * this.lineHeight(bodyStyle);
    this.y += level === 1 ? 10 : 6;
    if (this.y + headingHeight + keepWithNext > this.bottom && this.y > this.top) this.newPage();
    this.writeLines(lines, MARGIN, this.contentWidth, 'left', style);
    this.y += 4;
    return this;
  }

  paragraph(text: string, options: { muted?: boolean; bold?: boolean } = {}): this {
    const style = options.bold ? boldBodyStyle : options.muted ? mutedBodyStyle : bodyStyle;
    this.writeLines(this.wrap(text, this.contentWidth, style), MARGIN, this.contentWidth, 'left', style);
    this.y += 4;
    return this;
  }

  keyValues(rows: ReadonlyArray<readonly [string, string]>): this {
    const labelWidth = this.contentWidth * 0.35;
    const valueWidth = this.contentWidth - labelWidth;
    for (const [label, value] of rows) {
      this.writeRow(
        [
          { text: label, x: MARGIN, width: labelWidth, align: 'left', style: boldBodyStyle },
          { text: value, x: MARGIN + labelWidth, width: valueWidth, align: 'left', style: bodyStyle },
        ],
        { padding: 1 },
      );
    }
    this.y += 4;
    return this;
  }

  table(
    columns: ReadonlyArray<PdfColumn>,
    rows: ReadonlyArray<ReadonlyArray<string>>,
    options: {
      emptyText?: string;
      /** The last row is a total: set in bold, and never alone on a page (at least one row above it). */
      lastRowIsTotal?: boolean;
    } = {},
  ): this {
    const headerStyle: TextStyle = { ...boldBodyStyle, size: TABLE_HEADER_SIZE };
    const totalStyle: TextStyle = { ...tableStyle, font: BOLD };
    const widths = this.columnWidths(columns, rows, headerStyle);
    const positions: Array<{ x: number; width: number; align: 'left' | 'right' }> = [];
    let x = MARGIN;
    columns.forEach((column, index) => {
      const width = widths[index] ?? 0;
      positions.push({ x, width, align: column.align ?? 'left' });
      x += width;
    });
    const cellsOf = (texts: ReadonlyArray<string>, style: TextStyle) =>
      positions.map((position, index) => ({ ...position, text: texts[index] ?? '', style }));
    const header = cellsOf(
      columns.map((column) => column.header),
      headerStyle,
    );

    const headerHeight = this.rowHeight(header, CELL_PADDING);
    const firstRowHeight = rows[0] ? this.rowHeight(cellsOf(rows[0], tableStyle), CELL_PADDING) : 0;
    // Never leave a header alone at the foot of a page.
    if (this.y + headerHeight + Math.min(firstRowHeight, this.lineHeight(tableStyle) * 3) > this.bottom && this.y > this.top) {
      this.newPage();
    }
    const drawHeader = () => this.writeRow(header, { padding: CELL_PADDING, fill: HEADER_FILL, rule: true });
    drawHeader();
    if (rows.length === 0) {
      if (options.emptyText) {
        this.writeRow([{ text: options.emptyText, x: MARGIN, width: this.contentWidth, align: 'left', style: mutedTableStyle }], {
          padding: CELL_PADDING,
        });
      }
    } else {
      rows.forEach((row, index) => {
        const isTotal = options.lastRowIsTotal === true && index === rows.length - 1;
        const cells = cellsOf(row, isTotal ? totalStyle : tableStyle);
        // The row before a total takes the total with it to a new page when both do not fit here,
        // so a total never stands alone under a repeated header.
        if (options.lastRowIsTotal && index === rows.length - 2 && this.y > this.top) {
          const both = this.rowHeight(cells, CELL_PADDING) + this.rowHeight(cellsOf(rows[index + 1]!, totalStyle), CELL_PADDING);
          if (this.y + both > this.bottom && both <= this.bottom - this.top) {
            this.newPage();
            drawHeader();
          }
        }
        this.writeRow(cells, { padding: CELL_PADDING, rule: true, onNewPage: drawHeader });
      });
    }
    this.y += 8;
    return this;
  }

  /**
   * A signature block: who signs and when (label/value lines), then a line to sign on, kept
   * together on one page.
   */
  signature(rows: ReadonlyArray<readonly [string, string]>, signLabel: string): this {
    const lineHeight = this.lineHeight(bodyStyle);
    const signSpace = 36;
    const needed = 12 + rows.length * (lineHeight + 2) + signSpace + lineHeight;
    if (this.y + needed > this.bottom && this.y > this.top) this.newPage();
    this.y += 12;
    this.keyValues(rows);
    this.y += signSpace;
    const lineWidth = Math.min(220, this.contentWidth);
    this.doc
      .save()
      .moveTo(MARGIN, this.y)
      .lineTo(MARGIN + lineWidth, this.y)
      .lineWidth(0.75)
      .strokeColor(TEXT_COLOUR)
      .stroke()
      .restore();
    this.y += 3;
    this.placeLines([signLabel], MARGIN, lineWidth, 'left', mutedBodyStyle);
    this.y += 8;
    return this;
  }

  notice(text: string): this {
    const padding = 6;
    const style = boldBodyStyle;
    const innerWidth = this.contentWidth - 2 * padding;
    const lines = this.wrap(text, innerWidth, style);
    const lineHeight = this.lineHeight(style);
    this.y += 2;
    let remaining = lines;
    while (remaining.length > 0) {
      let fitting = Math.floor((this.bottom - this.y - 2 * padding) / lineHeight);
      if (fitting < Math.min(remaining.length, 2) && this.y > this.top) {
        this.newPage();
        fitting = Math.floor((this.bottom - this.y - 2 * padding) / lineHeight);
      }
      const chunk = remaining.slice(0, Math.max(fitting, 1));
      remaining = remaining.slice(chunk.length);
      const boxHeight = chunk.length * lineHeight + 2 * padding;
      this.doc
        .save()
        .lineWidth(1)
        .rect(MARGIN, this.y, this.contentWidth, boxHeight)
        .fillAndStroke(NOTICE_FILL, NOTICE_BORDER)
        .restore();
      const top = this.y;
      this.y += padding;
      this.placeLines(chunk, MARGIN + padding, innerWidth, 'left', style);
      this.y = top + boxHeight;
      if (remaining.length > 0) this.newPage();
    }
    this.y += 8;
    return this;
  }

  /** Ends the document (writes every page's footer) and streams it. */
  stream(): Readable {
    this.finish();
    // pdfkit's document is itself a readable stream; hand out a plain one so callers cannot
    // reach into the document.
    const output = new PassThrough();
    this.doc.on('error', (error: Error) => output.destroy(error));
    this.doc.pipe(output);
    this.doc.end();
    return output;
  }

  /** Same as stream(), collected (tests, ZIP entries). */
  toBuffer(): Promise<Buffer> {
    const readable = this.stream();
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      readable.on('data', (chunk: Buffer) => chunks.push(chunk));
      readable.on('end', () => resolve(Buffer.concat(chunks)));
      readable.on('error', reject);
    });
  }

  private get contentWidth(): number {
    return this.doc.page.width - 2 * MARGIN;
  }

  private get top(): number {
    return MARGIN;
  }

  /** The lowest y a content line may reach; below it is the footer. */
  private get bottom(): number {
    return this.doc.page.height - MARGIN - FOOTER_HEIGHT;
  }

  private writeTitleBlock(): void {
    const { organisationName, title, subtitle } = this.options;
    // The letterhead: the organisation's name in bold above the title.
    const letterheadStyle: TextStyle = { font: BOLD, size: 12, colour: TEXT_COLOUR };
    this.writeLines(
      this.wrap(organisationName, this.contentWidth, letterheadStyle),
      MARGIN,
      this.contentWidth,
      'left',
      letterheadStyle,
    );
    this.y += 4;
    const titleStyle: TextStyle = { font: BOLD, size: TITLE_SIZE, colour: TEXT_COLOUR };
    this.writeLines(this.wrap(title, this.contentWidth, titleStyle), MARGIN, this.contentWidth, 'left', titleStyle);
    if (subtitle) {
      const subtitleStyle: TextStyle = { font: REGULAR, size: 11, colour: TEXT_COLOUR };
      this.y += 2;
      this.writeLines(this.wrap(subtitle, this.contentWidth, subtitleStyle), MARGIN, this.contentWidth, 'left', subtitleStyle);
    }
    this.y += 6;
    this.doc
      .save()
      .moveTo(MARGIN, this.y)
      .lineTo(MARGIN + this.contentWidth, this.y)
      .lineWidth(0.75)
      .strokeColor(RULE_COLOUR)
      .stroke()
      .restore();
    this.y += 8;
  }

  private newPage(): void {
    this.doc.addPage();
    this.y = this.top;
  }

  private setStyle(style: TextStyle): void {
    this.doc.font(style.font).fontSize(style.size).fillColor(style.colour);
  }

  private lineHeight(style: TextStyle): number {
    this.doc.font(style.font).fontSize(style.size);
    return this.doc.currentLineHeight(true) + 1;
  }

  /** Lines flowing over as many pages as they need (paragraphs, headings). */
  private writeLines(lines: string[], x: number, width: number, align: 'left' | 'right', style: TextStyle): void {
    const lineHeight = this.lineHeight(style);
    for (const line of lines) {
      if (this.y + lineHeight > this.bottom && this.y > this.top) this.newPage();
      this.placeLines([line], x, width, align, style);
    }
  }

  /** Places lines from this.y down without any page check; advances this.y. */
  private placeLines(lines: string[], x: number, width: number, align: 'left' | 'right', style: TextStyle): void {
    const lineHeight = this.lineHeight(style);
    this.setStyle(style);
    for (const line of lines) {
      const lineX = align === 'right' ? x + width - this.doc.widthOfString(line) : x;
      // lineBreak: false and no width: pdfkit writes the text as is and never adds a page itself.
      this.doc.text(line, lineX, this.y, { lineBreak: false });
      this.y += lineHeight;
    }
  }

  /**
   * Column widths in proportion to their weights, but never narrower than the column's longest
   * word (header included) where the page allows it, so that words are not cut in the middle: a
   * column too narrow for its words gets what it needs and the others share the rest by weight.
   */
  private columnWidths(
    columns: ReadonlyArray<PdfColumn>,
    rows: ReadonlyArray<ReadonlyArray<string>>,
    headerStyle: TextStyle,
  ): number[] {
    const available = this.contentWidth;
    const weights = columns.map((column) => Math.max(column.width, 0) || 1);
    const widestWord = (text: string, style: TextStyle) => {
      this.doc.font(style.font).fontSize(style.size);
      return Math.max(0, ...text.split(/\s+/).map((word) => this.doc.widthOfString(word)));
    };
    const needed = columns.map(
      (column, index) =>
        Math.max(widestWord(column.header, headerStyle), ...rows.map((row) => widestWord(row[index] ?? '', tableStyle))) +
        2 * CELL_PADDING +
        1,
    );
    const totalNeeded = needed.reduce((sum, width) => sum + width, 0);
    // Not even the words fit side by side: share by weight and let the longest words be cut.
    if (totalNeeded > available) {
      const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
      return weights.map((weight) => (available * weight) / totalWeight);
    }
    const fixed = new Map<number, number>();
    for (;;) {
      const freeWidth = available - [...fixed.values()].reduce((sum, width) => sum + width, 0);
      const freeWeight = weights.reduce((sum, weight, index) => (fixed.has(index) ? sum : sum + weight), 0);
      const tooNarrow = weights.findIndex(
        (weight, index) => !fixed.has(index) && (freeWidth * weight) / freeWeight < (needed[index] ?? 0),
      );
      if (tooNarrow === -1) {
        return weights.map((weight, index) => fixed.get(index) ?? (freeWidth * weight) / freeWeight);
      }
      fixed.set(tooNarrow, needed[tooNarrow] ?? 0);
    }
  }

  private rowHeight(cells: ReadonlyArray<{ text: string; width: number; style: TextStyle }>, padding: number): number {
    const heights = cells.map(
      (cell) => this.wrap(cell.text, cell.width - 2 * padding, cell.style).length * this.lineHeight(cell.style),
    );
    return Math.max(0, ...heights) + 2 * padding;
  }

  /**
   * One row of cells kept on one page. A row taller than a whole page is the only one split: it
   * continues line by line on the next page(s), after onNewPage (a table's header) is redrawn.
   */
  private writeRow(
    cells: ReadonlyArray<{ text: string; x: number; width: number; align: 'left' | 'right'; style: TextStyle }>,
    options: { padding: number; fill?: string; rule?: boolean; onNewPage?: () => void },
  ): void {
    const { padding } = options;
    let laidOut: LaidOutCell[] = cells.map((cell) => ({
      lines: this.wrap(cell.text, cell.width - 2 * padding, cell.style),
      x: cell.x,
      width: cell.width,
      align: cell.align,
      style: cell.style,
    }));
    const heightOf = (parts: LaidOutCell[]) =>
      Math.max(0, ...parts.map((cell) => cell.lines.length * this.lineHeight(cell.style))) + 2 * padding;
    const breakPage = () => {
      this.newPage();
      options.onNewPage?.();
    };

    if (this.y + heightOf(laidOut) > this.bottom && this.y > this.top) breakPage();
    while (laidOut.length > 0) {
      const available = this.bottom - this.y - 2 * padding;
      let chunk = laidOut;
      let rest: LaidOutCell[] = [];
      if (heightOf(laidOut) > this.bottom - this.y) {
        // Taller than what is left of a fresh page: split, keeping at least one line per page.
        chunk = laidOut.map((cell) => {
          const fitting = Math.max(1, Math.floor(available / this.lineHeight(cell.style)));
          return { ...cell, lines: cell.lines.slice(0, fitting) };
        });
        rest = laidOut.map((cell, index) => ({ ...cell, lines: cell.lines.slice(chunk[index]!.lines.length) }));
        if (rest.every((cell) => cell.lines.length === 0)) rest = [];
      }
      this.drawRowChunk(chunk, heightOf(chunk), options);
      laidOut = rest;
      if (laidOut.length > 0) breakPage();
    }
  }

  private drawRowChunk(cells: LaidOutCell[], height: number, options: { padding: number; fill?: string; rule?: boolean }): void {
    const top = this.y;
    const first = cells[0];
    const last = cells[cells.length - 1];
    if (first && last) {
      const left = first.x;
      const right = last.x + last.width;
      if (options.fill)
        this.doc
          .save()
          .rect(left, top, right - left, height)
          .fill(options.fill)
          .restore();
      if (options.rule) {
        this.doc
          .save()
          .moveTo(left, top + height)
          .lineTo(right, top + height)
          .lineWidth(0.5)
          .strokeColor(RULE_COLOUR)
          .stroke()
          .restore();
      }
    }
    for (const cell of cells) {
      this.y = top + options.padding;
      this.placeLines(cell.lines, cell.x + options.padding, cell.width - 2 * options.padding, cell.align, cell.style);
    }
    this.y = top + height;
  }

  /** Greedy word wrap with the style's metrics; words longer than a line are cut by character. */
  private wrap(text: string, width: number, style: TextStyle): string[] {
    this.doc.font(style.font).fontSize(style.size);
    const fits = (candidate: string) => this.doc.widthOfString(candidate) <= width;
    const lines: string[] = [];
    for (const paragraph of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').split('\n')) {
      let line = '';
      for (const word of paragraph.split(/ +/).filter((part) => part.length > 0)) {
        const candidate = line ? `${line} ${word}` : word;
        if (fits(candidate)) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        line = '';
        let remainder = word;
        while (!fits(remainder)) {
          let cut = 1;
          while (cut < remainder.length && fits(remainder.slice(0, cut + 1))) cut += 1;
          lines.push(remainder.slice(0, cut));
          remainder = remainder.slice(cut);
        }
        line = remainder;
      }
      lines.push(line);
    }
    return lines;
  }

  /** Writes every page's footer once all content is in place (the page count is known only now). */
  private finish(): void {
    if (this.finished) throw new Error('ReportPdf has already been ended');
    this.finished = true;
    const { organisationName, generatedLine, pageLabel } = this.options;
    const range = this.doc.bufferedPageRange();
    const footerStyle: TextStyle = { font: REGULAR, size: SMALL_SIZE, colour: MUTED_COLOUR };
    for (let index = range.start; index < range.start + range.count; index += 1) {
      this.doc.switchToPage(index);
      const page = this.doc.page;
      const savedBottomMargin = page.margins.bottom;
      // Writing below the bottom margin would make pdfkit open a new page: lift the margin while
      // the footer is written.
      page.margins.bottom = 0;
      const lineY = page.height - MARGIN - FOOTER_HEIGHT + 12;
      this.doc
        .save()
        .moveTo(MARGIN, lineY)
        .lineTo(page.width - MARGIN, lineY)
        .lineWidth(0.5)
        .strokeColor(RULE_COLOUR)
        .stroke()
        .restore();
      const width = page.width - 2 * MARGIN;
      const label = pageLabel(index - range.start + 1, range.count);
      this.setStyle(footerStyle);
      const labelWidth = this.doc.widthOfString(label);
      const leftWidth = width - labelWidth - 12;
      const left = this.fitToWidth(`${organisationName} · ${generatedLine}`, leftWidth);
      this.doc.text(left, MARGIN, lineY + 6, { lineBreak: false });
      this.doc.text(label, page.width - MARGIN - labelWidth, lineY + 6, { lineBreak: false });
      page.margins.bottom = savedBottomMargin;
    }
  }

  /** Shortens a one-line text with an ellipsis so it fits the width in the current font. */
  private fitToWidth(text: string, width: number): string {
    if (this.doc.widthOfString(text) <= width) return text;
    let shortened = text;
    while (shortened.length > 1 && this.doc.widthOfString(`${shortened}…`) > width) shortened = shortened.slice(0, -1);
    return `${shortened}…`;
  }
}
