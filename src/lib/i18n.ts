import i18next, { type TFunction } from 'i18next';
import { SUPPORTED_LOCALES, type Locale } from '../config';
import { nl } from '../i18n/nl';
import { en } from '../i18n/en';

export type Translate = TFunction;

// One shared instance, initialised synchronously from the bundled resources: there is nothing to
// load at run time, and every request gets a translator fixed to its locale.
const instance = i18next.createInstance();
void instance.init({
  resources: { nl: { translation: nl }, en: { translation: en } },
  lng: 'nl',
  fallbackLng: false,
  supportedLngs: [...SUPPORTED_LOCALES],
  initAsync: false,
  showSupportNotice: false,
  returnNull: false,
  // EJS escapes on output (<%= %>); escaping here as well would double-escape.
  interpolation: { escapeValue: false },
});

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

export function translatorFor(locale: Locale): Translate {
  return instance.getFixedT(locale);
}

/** Flattened "a.b.c" keys of a resource tree, for the completeness test and diagnostics. */
export function messageKeys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? messageKeys(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}
