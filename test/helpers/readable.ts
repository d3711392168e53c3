/**
 * A page's HTML with the characters beyond Latin-1 written out again: the views send them as
 * references (&#8212;, &mdash;; see src/web/escape-html.ts), which a browser shows as the
 * characters themselves. The five that HTML gives a meaning to stay escaped (&amp;, &lt;, …), so a
 * test still sees what was escaped.
 */
const NAMED: Readonly<Record<string, string>> = { mdash: '—', ndash: '–', hellip: '…', rarr: '→' };

export function readable(html: string): string {
  return html
    .replace(/&#(\d+);/g, (reference, code: string) => (Number(code) > 0xff ? String.fromCodePoint(Number(code)) : reference))
    .replace(/&(mdash|ndash|hellip|rarr);/g, (_reference, name: string) => NAMED[name]!);
}
