import argon2 from 'argon2';
import type { ZxcvbnResult } from '@zxcvbn-ts/core';

/**
 * The rule for every new password, wherever it is chosen (the set-password page, /account, the
 * user:create script): 12 to 256 characters, not the person's own name or email address, not the
 * current password, and hard enough to guess by zxcvbn's estimate (score ≥ 3 of 4) with common
 * passwords and English and Dutch/Flemish words and names in its dictionaries.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
const MIN_SCORE = 3;

/** zxcvbn's warnings, each with its own message (users.password.weak.<warning>). */
export const STRENGTH_WARNINGS = [
  'straightRow',
  'keyPattern',
  'simpleRepeat',
  'extendedRepeat',
  'sequences',
  'recentYears',
  'dates',
  'topTen',
  'topHundred',
  'common',
  'similarToCommon',
  'wordByItself',
  'namesByThemselves',
  'commonNames',
  'userInputs',
] as const;
type StrengthWarning = (typeof STRENGTH_WARNINGS)[number];

/** Why a password is refused, as the i18n key of the message that says so. */
export type PasswordRefusal =
  | 'users.password.tooShort'
  | 'users.password.tooLong'
  | 'users.password.personal'
  | 'users.password.sameAsCurrent'
  | 'users.password.weak.generic'
  | `users.password.weak.${StrengthWarning}`;

export interface PasswordOwner {
  displayName: string;
  email: string;
  /** The stored hash of the current password, when there is one. */
  currentHash?: string | null;
}

type Estimator = (password: string, userInputs: string[]) => ZxcvbnResult;
let estimator: Estimator | undefined;

/** zxcvbn with its dictionaries, loaded on first use (a few megabytes of word lists). */
function estimatorOf(): Estimator {
  if (estimator) return estimator;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded lazily: only password changes need the word lists */
  const { zxcvbn, zxcvbnOptions } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
  const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  const english = require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
  const flemish = require('@zxcvbn-ts/language-nl-be') as typeof import('@zxcvbn-ts/language-nl-be');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // The word lists of both languages share names (commonWords, lastnames): keep both, apart.
  const prefixed = (dictionary: Record<string, unknown>, prefix: string) =>
    Object.fromEntries(Object.entries(dictionary).map(([name, words]) => [`${prefix}${name}`, words]));
  // The warnings come back as their own keys; InBeeld words them in the reader's language.
  const asKeys = <T extends Record<string, string>>(texts: T): T =>
    Object.fromEntries(Object.keys(texts).map((key) => [key, key])) as T;
  zxcvbnOptions.setOptions({
    dictionary: { ...common.dictionary, ...prefixed(english.dictionary, 'en-'), ...prefixed(flemish.dictionary, 'nl-') },
    graphs: common.adjacencyGraphs,
    translations: {
      ...english.translations,
      warnings: asKeys(english.translations.warnings),
      suggestions: asKeys(english.translations.suggestions),
    },
  });
  estimator = (password, userInputs) => zxcvbn(password, userInputs);
  return estimator;
}

/** The parts of a name and an email address that a password must not contain (3 letters or more). */
function personalWords(owner: PasswordOwner): string[] {
  const [local = '', domain = ''] = owner.email.toLowerCase().split('@');
  const parts = [...owner.displayName.toLowerCase().split(/[^\p{L}\p{N}]+/u), ...local.split(/[^\p{L}\p{N}]+/u), local];
  const domainName = domain.split('.')[0] ?? '';
  return [...new Set([...parts, domainName])].filter((word) => word.length >= 3);
}

/**
 * Whether the password holds a part of the person's name or email. A part of four letters or more
 * counts anywhere ("bakker2026"); a short one ("Cor", "Els") only as a word of its own ("Cor-2026"),
 * or "correct" would be refused to every Cor.
 */
function containsWord(password: string, word: string): boolean {
  if (word.length >= 4) return password.includes(word);
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}])${escaped}([^\\p{L}]|$)`, 'u').test(password);
}

/** Why this would be a bad new password for `owner`, or null when it may be used. */
export async function passwordRefusal(password: string, owner: PasswordOwner): Promise<PasswordRefusal | null> {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'users.password.tooShort';
  if ([...password].length > MAX_PASSWORD_LENGTH) return 'users.password.tooLong';
  const personal = personalWords(owner);
  if (personal.some((word) => containsWord(password.toLowerCase(), word))) return 'users.password.personal';
  if (owner.currentHash && (await argon2.verify(owner.currentHash, password).catch(() => false))) {
    return 'users.password.sameAsCurrent';
  }
  const { score, feedback } = estimatorOf()(password, personal);
  if (score >= MIN_SCORE) return null;
  const warning = feedback.warning as StrengthWarning | null;
  return warning && (STRENGTH_WARNINGS as readonly string[]).includes(warning)
    ? `users.password.weak.${warning}`
    : 'users.password.weak.generic';
}
