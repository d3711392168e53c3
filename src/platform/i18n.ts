import i18next, { type TFunction } from 'i18next';
import { SUPPORTED_LOCALES, type Locale } from '../config';

export type Translate = TFunction;

/**
 * The shape of a message tree with every leaf a string: English resources are typed against the
 * Dutch ones with this, so a key missing in either language fails the type check.
 */
export type MessageShape<T> = { [K in keyof T]: T[K] extends string ? string : MessageShape<T[K]> };

/**
 * A variant's message tree: only the texts that differ from its base language, every leaf optional
 * (nl-BE over nl holds the Flemish words; a key it lacks is read from nl).
 */
export type MessageVariant<T> = { [K in keyof T]?: T[K] extends string ? string : MessageVariant<T[K]> };

/**
 * Every language's message tree; src/messages.ts assembles it from the features' messages.ts.
 * nl and en are complete; nl-BE holds only the differences and falls back to nl per key.
 */
export type MessageCatalog = { nl: object; en: object; 'nl-BE': object };

/** Where a variant's missing keys come from. */
const FALLBACK_LOCALES = { 'nl-BE': ['nl'] } as const;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/**
 * The language a signed-in person reads: their own choice wins, then their team's default, then
 * the organisation's (DEFAULT_LOCALE). decisions.md, "Trajectories, network, consent".
 */
export function effectiveLocale(choices: { own: Locale | null; team: Locale | null; organisation: Locale }): Locale {
  return choices.own ?? choices.team ?? choices.organisation;
}

/**
 * One translator per language over the given catalog. This module knows no feature: the catalog is
 * handed in by src/messages.ts, so imports run from the features to the platform and never back.
 */
export function createTranslators(catalog: MessageCatalog): (locale: Locale) => Translate {
  // One instance, initialised synchronously from the bundled resources: there is nothing to load at
  // run time, and every request gets a translator fixed to its locale.
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, { translation: catalog[locale] }])),
    lng: SUPPORTED_LOCALES[0],
    // Per key: a variant's missing text comes from its base (nl-BE → nl); nl and en are complete,
    // so they fall back to nothing and a missing key shows itself.
    fallbackLng: { ...FALLBACK_LOCALES, default: [] },
    // Only the listed languages: 'nl-BE' must not also try a bare 'nl-BE' → 'nl' hierarchy twice.
    load: 'currentOnly',
    supportedLngs: [...SUPPORTED_LOCALES],
    initAsync: false,
    showSupportNotice: false,
    returnNull: false,
    // EJS escapes on output (<%= %>); escaping here as well would double-escape.
    interpolation: { escapeValue: false },
  });
  const translators = Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, createTranslator(instance, locale)]));
  return (locale) => translators[locale]!;
}

// A page calls t() a few hundred times, and i18next's getFixedT copies the instance's whole options
// object on every call, which made translating the largest share of rendering a page. So each
// locale gets a translator that calls instance.t with the language directly (what getFixedT does,
// without the copy) and remembers the texts asked for without options: the resources are bundled
// and never change, so a key alone always gives the same text.
const MAX_REMEMBERED_TEXTS = 10_000;

function createTranslator(instance: ReturnType<typeof i18next.createInstance>, locale: Locale): Translate {
  const fixed = instance.getFixedT(locale) as unknown as (...args: unknown[]) => unknown;
  const remembered = new Map<string, string>();
  const compiled = new Map<string, CompiledText | null>();

  /**
   * The text for a key with values, from a compiled form of it: i18next resolves the key once
   * (language fallback, plural form for this count) with a marker in place of each value, and
   * later calls only fill the values in. Interpolating through i18next cost about 10 µs a call,
   * and a list page makes a hundred such calls with values that differ per row (names, minutes
   * late, figures), so no per-page memo catches them. Undefined for what the compiled form does
   * not cover (then i18next answers): options i18next reads itself (a default value, a context,
   * another language…), a value that is not a string or a number, a count that is not a number.
   */
  const filledIn = (key: string, options: Record<string, unknown>): string | undefined => {
    let shapeKey = key;
    let count: number | undefined;
    const names: string[] = [];
    for (const name in options) {
      const value = options[name];
      if (name === 'count') {
        if (typeof value !== 'number') return undefined;
        count = value;
        continue;
      }
      if (
        (typeof value !== 'string' && typeof value !== 'number') ||
        I18NEXT_OPTIONS.has(name) ||
        name.startsWith('defaultValue')
      )
        return undefined;
      names.push(name);
      shapeKey += `\u0000${name}`;
    }
    // The plural form depends on the count itself, so each count seen gets its own compiled text.
    if (count !== undefined) shapeKey += `\u0001${count}`;
    let text = compiled.get(shapeKey);
    if (text === undefined) {
      text = compileText(instance, locale, key, names, count);
      if (compiled.size >= MAX_REMEMBERED_TEXTS) compiled.clear();
      compiled.set(shapeKey, text);
    }
    if (text === null) return undefined;
    let result = text.parts[0]!;
    for (let index = 0; index < text.slots.length; index += 1) {
      result += String(options[names[text.slots[index]!]!]) + text.parts[index + 1]!;
    }
    return result;
  };

  const translate = (key: unknown, options?: unknown, ...rest: unknown[]): unknown => {
    if (rest.length > 0) return fixed(key, options, ...rest);
    if (options === undefined && typeof key === 'string') {
      let text = remembered.get(key);
      if (text === undefined) {
        text = instance.t(key, { lng: locale });
        // Bounded, in case a key is ever built from input: a missing key comes back as itself.
        if (remembered.size < MAX_REMEMBERED_TEXTS) remembered.set(key, text);
      }
      return text;
    }
    if (typeof options === 'object' && options !== null) {
      if (typeof key === 'string') {
        const text = filledIn(key, options as Record<string, unknown>);
        if (text !== undefined) return text;
      }
      const withLanguage = options as { lng?: string };
      return instance.t(key as string, { ...withLanguage, lng: withLanguage.lng || locale });
    }
    // A default value as second argument, and other overloads: as getFixedT handles them.
    return fixed(key, options);
  };
  return translate as unknown as Translate;
}

/** Options i18next reads itself rather than interpolates: with any of them, i18next answers the call. */
const I18NEXT_OPTIONS = new Set([
  'lng',
  'lngs',
  'fallbackLng',
  'ns',
  'context',
  'replace',
  'returnObjects',
  'returnDetails',
  'joinArrays',
  'postProcess',
  'interpolation',
  'skipInterpolation',
  'ordinal',
  'keyPrefix',
  'keySeparator',
  'nsSeparator',
]);

/** A translated text with holes: parts[0], value of names[slots[0]], parts[1], … */
interface CompiledText {
  parts: string[];
  slots: number[];
}

const MARK_START = '\uE000';
const MARK_END = '\uE001';
const MARKS = /\uE000(\d+)\uE001/g;

/** A Latin-1 part copied to one byte per character, as src/lib/one-byte.ts explains (this module imports no other). */
function oneByteWherePossible(part: string): string {
  return /[\u0100-\u{10ffff}]/u.test(part) ? part : Buffer.from(part, 'latin1').toString('latin1');
}

/**
 * Asks i18next for the text once with a private-use marker as each value, and splits its answer
 * at the markers. Null when a marker did not come back whole (a value i18next would format or
 * transform): such a key is always left to i18next.
 */
function compileText(
  instance: ReturnType<typeof i18next.createInstance>,
  locale: Locale,
  key: string,
  names: string[],
  count: number | undefined,
): CompiledText | null {
  const markers: Record<string, unknown> = { lng: locale };
  names.forEach((name, index) => (markers[name] = `${MARK_START}${index}${MARK_END}`));
  if (count !== undefined) markers.count = count;
  const text = instance.t(key, markers) as unknown;
  if (typeof text !== 'string') return null;
  const parts: string[] = [];
  const slots: number[] = [];
  let from = 0;
  for (const match of text.matchAll(MARKS)) {
    // The markers lie beyond Latin-1: each part is copied so that it is one-byte where it can be.
    parts.push(oneByteWherePossible(text.slice(from, match.index)));
    slots.push(Number(match[1]));
    from = match.index + match[0].length;
  }
  parts.push(oneByteWherePossible(text.slice(from)));
  if (parts.some((part) => part.includes(MARK_START) || part.includes(MARK_END))) return null;
  return { parts, slots };
}

/**
 * A translator for rendering one long page: each distinct key with the same values is translated
 * once. A list page asks for the same interpolated texts row after row ("last contact: phone,
 * reached on {date}"), and i18next's interpolation and plural rules per row were a large share of
 * its rendering time. Only calls whose values are all strings, numbers, booleans or null/undefined
 * are remembered; anything else goes straight to `t`. Lives as long as the page render, so the
 * texts (which may hold names) are never kept beyond the request.
 */
export function pageTranslator(t: Translate): Translate {
  const translate = t as unknown as (...args: unknown[]) => unknown;
  const remembered = new Map<string, unknown>();
  const memoized = (key: unknown, options?: unknown, ...rest: unknown[]): unknown => {
    // A key alone is already remembered by translatorFor's translator.
    const cacheKey = rest.length === 0 && typeof key === 'string' && options !== undefined ? cacheKeyOf(key, options) : null;
    if (cacheKey === null) return translate(key, options, ...rest);
    if (remembered.has(cacheKey)) return remembered.get(cacheKey);
    const text = translate(key, options);
    remembered.set(cacheKey, text);
    return text;
  };
  return memoized as unknown as Translate;
}

/** An unambiguous key for (key, options) when every option is a primitive, else null. */
function cacheKeyOf(key: string, options: unknown): string | null {
  if (typeof options !== 'object' || options === null) return null;
  const parts: unknown[] = [key];
  for (const [name, value] of Object.entries(options)) {
    const type = typeof value;
    if (value !== null && type !== 'string' && type !== 'number' && type !== 'boolean' && type !== 'undefined') return null;
    // The type keeps 1 and '1' apart; String() keeps NaN and Infinity apart from null in JSON.
    parts.push(name, type, type === 'number' ? String(value) : value);
  }
  return JSON.stringify(parts);
}

/** Flattened "a.b.c" keys of a resource tree, for the completeness test and diagnostics. */
export function messageKeys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? messageKeys(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}
