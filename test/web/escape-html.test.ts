import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { VIEWS_DIR } from '../../src/app';
import { escapeHtml } from '../../src/web/escape-html';

const BEYOND_LATIN1 = /[\u0100-\u{10ffff}]/u;

function viewFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return viewFiles(full);
    return entry.name.endsWith('.ejs') ? [full] : [];
  });
}

describe("the views' escaping", () => {
  test("EJS's five characters as EJS writes them, and nothing else of Latin-1", () => {
    const latin1 = '<a href="x?y=1&z=2">Zoë\'s café</a> © ½ · ÿ';
    expect(escapeHtml(latin1)).toBe(ejs.escapeXML(latin1));
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(0)).toBe('0');
  });

  test('every character beyond Latin-1 as a numeric reference to the same character', () => {
    expect(escapeHtml('“niet bereikt” — Łukasz Żółć, Şükrü 😀')).toBe(
      '&#8220;niet bereikt&#8221; &#8212; &#321;ukasz &#379;ó&#322;&#263;, &#350;ükrü &#128512;',
    );
    const decoded = escapeHtml('Łukasz 😀 — “x”').replace(/&#(\d+);/g, (_match, code: string) =>
      String.fromCodePoint(Number(code)),
    );
    expect(decoded).toBe('Łukasz 😀 — “x”');
  });

  test("the views' own text is Latin-1 (others as entities), so a page is a one-byte string", () => {
    const offending: string[] = [];
    for (const file of viewFiles(VIEWS_DIR)) {
      // The template's text, outside its <% … %> tags: code goes through escapeHtml when it is shown.
      const text = fs.readFileSync(file, 'utf8').replace(/<%[\s\S]*?%>/g, '');
      text.split('\n').forEach((line, index) => {
        if (BEYOND_LATIN1.test(line)) offending.push(`${path.relative(VIEWS_DIR, file)}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });
});
