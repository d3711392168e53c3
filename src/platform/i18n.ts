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
      const withLanguage = options as { lng?: string };
      return instance.t(key as string, { ...withLanguage, lng: withLanguage.lng || locale });
    }
    // A default value as second argument, and other overloads: as getFixedT handles them.
    return fixed(key, options);
  };
  return translate as unknown as Translate;
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
