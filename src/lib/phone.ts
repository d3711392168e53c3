/**
 * A phone number as search compares it: its digits without the trunk prefix, so every way of
 * writing one number gives one key. "06-20000000", "06 2000 0000", "+31 6 20000000",
 * "+31 (0)6 2000 0000" and "0031 620000000" all give "620000000".
 *
 * - A national number (leading 0) loses that 0.
 * - An international one (a "+" before the first digit, or 00) loses the + or 00; the Dutch (31)
 *   and Belgian (32) country codes are dropped too, with a 0 written after them, because the
 *   programmes are Dutch or Flemish and their numbers are written both ways. A national number
 *   and the same number with its country code then meet; other countries keep their code
 *   ("+212 6…" and "00212 6…" meet, as "2126…").
 * - A number of another country written nationally ("0612…" meaning Morocco) reads as Dutch or
 *   Belgian: the digits alone cannot tell.
 *
 * The migration 20261206171000_participant_phone_search stores the same key in
 * participants.phone_search (a generated column); test/participants/search.test.ts checks that the
 * two agree. Returns null when there are no digits.
 */
export function phoneSearchKey(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/\(0\)/g, '').replace(/[^0-9]/g, '');
  const international = /^[^0-9]*\+/.test(phone);
  const key = international ? digits.replace(/^(31|32)0?/, '') : digits.replace(/^(00(31|32)0?|00|0)/, '');
  return key === '' ? null : key;
}

/**
 * What a search text asks of phone numbers, or null when it is not (part of) a phone number: only
 * digits and the signs written between them, at least 4 digits. Typed with its prefix (0, 00 or
 * +) it is the start of a number (`fromStart`: "06 2000" finds 06-20000000, not 0612620000);
 * without one it may be any part ("2000 0000").
 */
export function phoneSearchOf(text: string): { key: string; fromStart: boolean } | null {
  const trimmed = text.trim();
  if (!/^[0-9+\-()./\s]+$/.test(trimmed) || (trimmed.match(/[0-9]/g) ?? []).length < 4) return null;
  const key = phoneSearchKey(trimmed);
  return key === null ? null : { key, fromStart: /^[^0-9]*[+0]/.test(trimmed) };
}
