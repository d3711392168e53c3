import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { en, nl, translatorFor } from '../../src/messages';
import { messageKeys, pageTranslator } from '../../src/platform/i18n';
import { createFormatters } from '../../src/lib/format';

function filesUnder(dir: string, extensions: string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full, extensions);
    return extensions.some((ext) => name.endsWith(ext)) ? [full] : [];
  });
}

describe('UI text', () => {
  const nlKeys = messageKeys(nl).sort();
  const enKeys = messageKeys(en).sort();

  test('Dutch and English have exactly the same keys', () => {
    expect(enKeys).toEqual(nlKeys);
  });

  test('no text is empty in either language', () => {
    for (const locale of ['nl', 'en'] as const) {
      const t = translatorFor(locale);
      for (const key of nlKeys) expect(`${key}: ${t(key, { count: 1 })}`.trim()).not.toMatch(/: $/);
    }
  });

  test('every key that views and code ask for exists', () => {
    const root = path.resolve(__dirname, '..', '..');
    const sources = [...filesUnder(path.join(root, 'views'), ['.ejs']), ...filesUnder(path.join(root, 'src'), ['.ts'])];
    const known = new Set(nlKeys.map((key) => key.replace(/_(one|other)$/, '')));
    // Every top-level section of the resources, so a new feature's keys are checked too.
    const prefixes = Object.keys(nl);
    const pattern = new RegExp(`['"]((?:${prefixes.join('|')})\\.[A-Za-z0-9_.]+[A-Za-z0-9_])['"]`, 'g');
    const missing: string[] = [];
    for (const file of sources) {
      // Resources themselves, and SQL (whose 'table.column' names look like keys), are not lookups.
      if (file.endsWith('messages.ts') || file.endsWith('queries.ts') || file.includes(`${path.sep}db${path.sep}`)) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
        // A section name ('employers.sectors') is fine too: code appends the leaf at run time.
        const key = match[1]!;
        if (!known.has(key) && !nlKeys.some((candidate) => candidate.startsWith(`${key}.`)))
          missing.push(`${path.relative(root, file)}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test("the catalog gathers every feature's messages, and the platform imports none of them", () => {
    const root = path.resolve(__dirname, '..', '..');
    const catalog = readFileSync(path.join(root, 'src', 'messages.ts'), 'utf8');
    const features = filesUnder(path.join(root, 'src'), ['messages.ts'])
      .map((file) => path.relative(path.join(root, 'src'), file).replace(/\\/g, '/'))
      .filter((file) => file !== 'messages.ts');
    expect(features.length).toBeGreaterThan(20);
    for (const file of features) expect(catalog).toContain(`from './${file.replace(/\.ts$/, '')}'`);
    const platform = readFileSync(path.join(root, 'src', 'platform', 'i18n.ts'), 'utf8');
    expect(platform).not.toMatch(/from '\.\.\/(?!config')/);
  });

  test('plurals and interpolation work in both languages', () => {
    expect(translatorFor('nl')('forms.errorSummary', { count: 1 })).toBe('Er is 1 fout in het formulier');
    expect(translatorFor('nl')('forms.errorSummary', { count: 3 })).toBe('Er zijn 3 fouten in het formulier');
    expect(translatorFor('en')('forms.errorSummary', { count: 2 })).toBe('There are 2 problems with this form');
  });
});

describe('formatting in the organisation time zone', () => {
  test('a UTC instant late in the evening is already the next day in Amsterdam', () => {
    const instant = new Date('2026-03-28T23:30:00Z');
    expect(createFormatters('nl', 'Europe/Amsterdam').dateTime(instant)).toBe('29-03-2026 00:30');
    expect(createFormatters('en', 'Europe/Amsterdam').date(instant)).toBe('29/03/2026');
    // After the switch to summer time the offset is two hours.
    expect(createFormatters('nl', 'Europe/Amsterdam').time(new Date('2026-03-29T10:00:00Z'))).toBe('12:00');
  });

  test('the fast paths give what luxon gives: date columns, invalid values, other ISO shapes', () => {
    const fmt = createFormatters('nl', 'Europe/Amsterdam');
    expect(fmt.date('2026-10-25')).toBe('25-10-2026');
    expect(fmt.dateInput('2024-02-29')).toBe('29-02-2024');
    expect(fmt.date('2026-02-30')).toBe('Invalid DateTime');
    expect(fmt.date('2026-11-23T23:30:00Z')).toBe('24-11-2026');
    expect(fmt.dateTime(new Date(Number.NaN))).toBe('Invalid DateTime');
    // The clock goes back: 02:30 happens twice, first in summer time.
    expect(fmt.time(new Date('2026-10-25T00:30:00Z'))).toBe('02:30');
    expect(fmt.time(new Date('2026-10-25T01:30:00Z'))).toBe('02:30');
  });

  test('numbers follow the locale', () => {
    expect(createFormatters('nl', 'Europe/Amsterdam').number(1234.5, 1)).toBe('1.234,5');
    expect(createFormatters('en', 'Europe/Amsterdam').number(1234.5, 1)).toBe('1,234.5');
  });
});

describe('pageTranslator', () => {
  test('gives what the translator gives, for repeated and plural texts alike', () => {
    const t = translatorFor('nl');
    const page = pageTranslator(t);
    for (const count of [1, 3, 1, 3]) {
      expect(page('forms.errorSummary', { count })).toBe(t('forms.errorSummary', { count }));
    }
    expect(page('forms.errorSummary', { count: '1' })).toBe(t('forms.errorSummary', { count: '1' }));
    expect(page('nav.today')).toBe(t('nav.today'));
  });
});
