import { PDFParse } from 'pdf-parse';
import type TestAgent from 'supertest/lib/agent';

/** Downloads a response as raw bytes (supertest would otherwise try to read a PDF as text). */
export function download(agent: TestAgent, url: string) {
  return agent
    .get(url)
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
}

/** The text of every page of a PDF, as a PDF reader extracts it. */
export async function pdfPages(buffer: Buffer): Promise<string[]> {
  const parser = new PDFParse({ data: buffer });
  try {
    const result = await parser.getText();
    return result.pages.map((page) => page.text);
  } finally {
    await parser.destroy();
  }
}

/** Text with every run of white space made one space, so wrapped lines read as one. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The table row of an HTML page that contains `marker`, or '' when there is none. */
export function rowContaining(html: string, marker: string): string {
  return (
    html
      .split('<tr>')
      .find((part) => part.includes(marker))
      ?.split('</tr>')[0] ?? ''
  );
}
