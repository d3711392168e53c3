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

describe('texts with values', () => {
  // The translator fills values into a compiled form of each text (src/platform/i18n.ts); with
  // `lng` among the options it leaves the call to i18next itself, which is the reference here.
  const tricky = ['Anna', '', '$t(nav.today)', '<b>&amp;', 'a\uE0000\uE001b', 'één – twee'];

  test('give exactly what i18next gives, for every key of the catalog, in every language', () => {
    const texts = new Map<string, string[]>();
    for (const tree of [nl, en]) {
      for (const key of messageKeys(tree)) {
        const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree);
        const base = key.replace(/_(one|other)$/, '');
        texts.set(base, [...(texts.get(base) ?? []), String(value)]);
      }
    }
    const differences: string[] = [];
    let compared = 0;
    for (const locale of ['nl', 'en', 'nl-BE'] as const) {
      const t = translatorFor(locale);
      for (const [key, variants] of texts) {
        const names = [
          ...new Set(variants.flatMap((text) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]!))),
        ];
        // Texts without values are looked up by key alone (another path); plural ones at several counts.
        if (names.length === 0 && variants.length === 1) continue;
        const counts = names.includes('count') || variants.length > 1 ? [0, 1, 2, 21, 1.5] : [undefined];
        for (const count of counts) {
          for (const [index, sample] of tricky.entries()) {
            const options: Record<string, unknown> = {};
            names
              .filter((name) => name !== 'count')
              .forEach((name, position) => (options[name] = position % 2 ? index * 7 : sample));
            if (count !== undefined) options.count = count;
            const expected = String(t(key, { ...options, lng: locale }));
            // Twice: the first call compiles, the second reads the compiled form.
            for (let round = 0; round < 2; round += 1) {
              const actual = String(t(key, options));
              if (actual !== expected) differences.push(`${locale} ${key} ${JSON.stringify(options)}: ${actual} ≠ ${expected}`);
            }
            compared += 1;
          }
        }
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(3000);
  });

  test('what the compiled form does not cover still comes from i18next', () => {
    const t = translatorFor('nl');
    expect(t('forms.errorSummary', { count: '3' })).toBe(t('forms.errorSummary', { count: '3', lng: 'nl' }));
    expect(t('nope.missing', { name: 'x', defaultValue: 'standaard' })).toBe('standaard');
    expect(t('today.greeting', { name: undefined, team: null })).toBe(
      t('today.greeting', { name: undefined, team: null, lng: 'nl' }),
    );
    expect(t('today.greeting', { name: 'Daan', team: 'Noord' })).toContain('Daan');
  });

  test('a value is shown as it was typed, even one that looks like a placeholder', () => {
    // i18next re-reads a value for placeholders ("{{name}} voor 14" came out as "14 voor {{name}}");
    // the compiled form puts each value in its own place.
    const t = translatorFor('nl');
    const text = t('today.greeting', { name: '{{team}}', team: 'Noord' });
    expect(text).toContain('{{team}}');
    expect(text.indexOf('{{team}}')).toBeLessThan(text.indexOf('Noord'));
  });
});
