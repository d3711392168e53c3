import { PDFParse } from 'pdf-parse';
import { ReportPdf, type ReportPdfOptions } from '../../src/lib/pdf';

function options(overrides: Partial<ReportPdfOptions> = {}): ReportPdfOptions {
  return {
    title: 'Trajectrapportage',
    subtitle: 'Şahin Çelik — 01-09-2026 t/m 30-11-2026',
    organisationName: 'Stichting Werkpad',
    generatedLine: 'Gemaakt op 23-11-2026 14:05',
    pageLabel: (page, pages) => `Pagina ${page} van ${pages}`,
    language: 'nl',
    ...overrides,
  };
}

async function pagesOf(buffer: Buffer): Promise<string[]> {
  const parser = new PDFParse({ data: buffer });
  try {
    const result = await parser.getText();
    return result.pages.map((page) => page.text);
  } finally {
    await parser.destroy();
  }
}

async function textOf(buffer: Buffer): Promise<string> {
  return (await pagesOf(buffer)).join('\n');
}

describe('ReportPdf', () => {
  it('writes a PDF with the title block, sections and extractable text in any European script', async () => {
    const buffer = await (
      await ReportPdf.create(options())
    )
      .heading('Deelnemer')
      .keyValues([
        ['Naam', 'Łukasz Wróblewski'],
        ['Referentie', 'UWV-2026-0042'],
      ])
      .heading('Toelichting', 2)
      .paragraph('Gaat goed vooruit.')
      .paragraph('Nog niet geschreven', { muted: true })
      .notice('Geen medische informatie opnemen.')
      .toBuffer();

    expect(buffer.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await textOf(buffer);
    for (const expected of [
      'Stichting Werkpad',
      'Trajectrapportage',
      'Şahin Çelik',
      'Deelnemer',
      'Łukasz Wróblewski',
      'UWV-2026-0042',
      'Toelichting',
      'Gaat goed vooruit.',
      'Nog niet geschreven',
      'Geen medische informatie opnemen.',
      'Gemaakt op 23-11-2026 14:05',
      'Pagina 1 van 1',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('sets the metadata title, author and language', async () => {
    const buffer = await (
      await ReportPdf.create(options({ title: 'Trajectory report', language: 'en' }))
    )
      .paragraph('x')
      .toBuffer();
    const raw = buffer.toString('latin1');
    expect(raw).toContain('/Lang (en-GB)');
    const parser = new PDFParse({ data: buffer });
    try {
      const info = await parser.getInfo();
      expect(info.info).toEqual(expect.objectContaining({ Title: 'Trajectory report', Author: 'Stichting Werkpad' }));
    } finally {
      await parser.destroy();
    }
  });

  it('numbers every page "n of N" in the footer and repeats the organisation there', async () => {
    const pdf = await ReportPdf.create(options({ pageLabel: (page, pages) => `Page ${page} of ${pages}` }));
    for (let index = 1; index <= 150; index += 1) pdf.paragraph(`Paragraph number ${index}`);
    const pages = await pagesOf(await pdf.toBuffer());

    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((page, index) => {
      expect(page).toContain(`Page ${index + 1} of ${pages.length}`);
      expect(page).toContain('Stichting Werkpad');
      expect(page).toContain('Gemaakt op 23-11-2026 14:05');
    });
    // Nothing is lost across page breaks, in order.
    const all = pages.join('\n');
    expect(all.indexOf('Paragraph number 149')).toBeLessThan(all.indexOf('Paragraph number 150'));
    for (let index = 1; index <= 150; index += 1) expect(all).toContain(`Paragraph number ${index}\n`);
  });

  it('does not add a blank page for the footer when the content ends at the foot of a page', async () => {
    // Fill exactly up to the last line of page 1, whichever amount of lines that is.
    let linesOnFirstPage = 0;
    for (let count = 20; count < 80; count += 1) {
      const pdf = await ReportPdf.create(options());
      for (let index = 0; index < count; index += 1) pdf.paragraph(`line ${index}`);
      const pages = await pagesOf(await pdf.toBuffer());
      if (pages.length > 1) break;
      linesOnFirstPage = count;
    }
    expect(linesOnFirstPage).toBeGreaterThan(0);
    const pdf = await ReportPdf.create(options());
    for (let index = 0; index < linesOnFirstPage; index += 1) pdf.paragraph(`line ${index}`);
    const pages = await pagesOf(await pdf.toBuffer());
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('Pagina 1 van 1');
  });

  it('repeats the table header on every page the table spans and keeps each row whole', async () => {
    const rows = Array.from({ length: 120 }, (_, index) => [
      `2026-09-${String((index % 28) + 1).padStart(2, '0')}`,
      `start-${index + 1} with a longer text that wraps over a few lines in this narrow column end-${index + 1}`,
      `${index + 1}`,
    ]);
    const buffer = await (
      await ReportPdf.create(options())
    )
      .table(
        [
          { header: 'Datum', width: 2 },
          { header: 'Omschrijving', width: 3 },
          { header: 'Minuten', width: 1, align: 'right' },
        ],
        rows,
      )
      .toBuffer();
    const pages = await pagesOf(buffer);

    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(page).toContain('Omschrijving');
      expect(page).toContain('Minuten');
    }
    for (let index = 1; index <= 120; index += 1) {
      const startPage = pages.findIndex((page) => new RegExp(`\\bstart-${index}\\b`).test(page));
      const endPage = pages.findIndex((page) => new RegExp(`\\bend-${index}\\b`).test(page));
      expect(startPage).toBeGreaterThanOrEqual(0);
      expect(endPage).toBe(startPage);
    }
  });

  it('splits a row only when it is taller than a page, and loses none of its text', async () => {
    const words = Array.from({ length: 1200 }, (_, index) => `w${index}`);
    const buffer = await (
      await ReportPdf.create(options())
    )
      .table(
        [
          { header: 'Kop A', width: 1 },
          { header: 'Kop B', width: 1 },
        ],
        [
          ['kort', words.join(' ')],
          ['volgende rij', 'klaar'],
        ],
      )
      .toBuffer();
    const pages = await pagesOf(buffer);
    const all = pages.join(' ');

    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page).toContain('Kop B');
    for (const word of ['w0', 'w600', 'w1199']) expect(all).toMatch(new RegExp(`\\b${word}\\b`));
    expect(all).toContain('volgende rij');
  });

  it('shows the empty text when a table has no rows', async () => {
    const text = await textOf(
      await (
        await ReportPdf.create(options())
      )
        .table([{ header: 'Datum', width: 1 }], [], { emptyText: 'Geen contactmomenten in deze periode.' })
        .toBuffer(),
    );
    expect(text).toContain('Datum');
    expect(text).toContain('Geen contactmomenten in deze periode.');
  });

  it('cuts a single word that is wider than its cell instead of letting it overflow', async () => {
    const longWord = 'x'.repeat(300);
    const text = await textOf(
      await (
        await ReportPdf.create(options())
      )
        .table(
          [
            { header: 'Smal', width: 1 },
            { header: 'Breed', width: 5 },
          ],
          [[longWord, 'y']],
        )
        .toBuffer(),
    );
    expect(text.replace(/\s/g, '')).toContain(longWord);
  });

  it('streams the same document', async () => {
    const stream = (await ReportPdf.create(options())).paragraph('Gestreamd').stream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const text = await textOf(Buffer.concat(chunks));
    expect(text).toContain('Gestreamd');
    expect(text).toContain('Pagina 1 van 1');
  });

  it('refuses to be ended twice', async () => {
    const pdf = await ReportPdf.create(options());
    pdf.stream().resume();
    expect(() => pdf.stream()).toThrow();
  });
});
