import { ReportPdf } from '../../src/lib/pdf';
import { pdfPages } from '../trajectory-reports/helpers';

// Issue 20 item 6: a table's total row never lands alone on a page; at least one row of the
// table stands above it there (the "Per resultaat" total used to open a page on its own).

async function pagesOf(rowCount: number): Promise<string[]> {
  const pdf = await ReportPdf.create({
    title: 'Test',
    organisationName: 'Stichting Test',
    generatedLine: 'Gemaakt op 23-11-2026',
    pageLabel: (page, pages) => `Pagina ${page} van ${pages}`,
    language: 'nl',
  });
  const rows = Array.from({ length: rowCount }, (_, index) => [`Rij${index + 1}`, String(index + 1)]);
  pdf.table(
    [
      { header: 'Soort', width: 3 },
      { header: 'Aantal', width: 1, align: 'right' },
    ],
    [...rows, ['Totaalrij', String(rowCount)]],
    { lastRowIsTotal: true },
  );
  return pdfPages(await pdf.toBuffer());
}

test('whatever the number of rows, the total shares its page with the row above it', async () => {
  let pageBreaksSeen = 0;
  // From one page to a little over two: every place the page can end, including right before the total.
  for (let rowCount = 36; rowCount <= 52; rowCount += 1) {
    const pages = await pagesOf(rowCount);
    const totalPage = pages.find((page) => page.includes('Totaalrij'))!;
    if (pages.length > 1) pageBreaksSeen += 1;
    expect([rowCount, new RegExp(`\\bRij${rowCount}\\b`).test(totalPage)]).toEqual([rowCount, true]);
  }
  // The range does cross a page end, so the rule was put to the test.
  expect(pageBreaksSeen).toBeGreaterThan(0);
});
