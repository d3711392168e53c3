const BEYOND_LATIN1 = /[\u0100-\u{10ffff}]/u;

/** Whether a text has a character beyond Latin-1 (U+0100 and up). */
export function hasBeyondLatin1(text: string): boolean {
  return BEYOND_LATIN1.test(text);
}

/**
 * The same text as V8 holds Latin-1 text, one byte per character, when it is Latin-1. V8 keeps a
 * string two bytes per character when it was cut from, or built by replacing in, a string that had
 * a character beyond Latin-1, whatever is left of it; and a page with one such piece in it becomes
 * two-byte as a whole, which doubles its memory and the work of sending it (src/web/escape-html.ts).
 */
export function oneByteWherePossible(text: string): string {
  return hasBeyondLatin1(text) ? text : Buffer.from(text, 'latin1').toString('latin1');
}
