import type { RequestHandler } from 'express';

/**
 * The one place where what a browser (or anyone else) sends is made safe to hand to a schema:
 *
 * - Control characters are stripped from every query and form value. A NUL byte cannot be stored in
 *   a PostgreSQL text column at all ("invalid byte sequence for encoding UTF8: 0x00"), and the others
 *   have no meaning in a name or a note. Tab, line feed and carriage return stay: notes and summaries
 *   are multi-line, and in a single-line field they are harmless text that the page escapes.
 * - A repeated parameter (`?q=a&q=b`) is read as its first value, so every schema sees one string.
 *   Only the fields in LIST_FIELDS are lists by design (checkboxes); they keep every value.
 *
 * Stripping rather than refusing: nobody types these characters on purpose; they arrive by pasting
 * from another program, and a form that refused them would lose the rest of what was typed.
 */

// C0 controls except tab (09), line feed (0A) and carriage return (0D); DEL; the C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Form fields that are lists: the goals and the people who took part ticked on a contact form. */
const LIST_FIELDS: ReadonlySet<string> = new Set(['goalIds', 'attendees', 'participantIds']);

export function withoutControlCharacters(value: string): string {
  return value.replace(CONTROL_CHARACTERS, '');
}

/**
 * Express's query parser: each parameter once, as a clean string. (Express's own parsers give an
 * array for a repeated parameter, and the extended one nested objects for `a[b]=c`.)
 */
export function parseQueryString(queryString: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(queryString)) {
    const name = withoutControlCharacters(key);
    if (!Object.hasOwn(query, name)) query[name] = withoutControlCharacters(value);
  }
  return query;
}

/** After the body parser: each form field once, as a clean string; list fields as clean strings. */
export function cleanFormBody(): RequestHandler {
  return function cleanFormBody(req, _res, next) {
    if (req.body && typeof req.body === 'object') req.body = cleanFields(req.body as Record<string, unknown>);
    next();
  };
}

function cleanFields(body: Record<string, unknown>): Record<string, string | string[]> {
  const clean: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(body)) {
    const values = (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
    if (values.length === 0) continue;
    const name = withoutControlCharacters(key);
    clean[name] = LIST_FIELDS.has(name) ? values.map(withoutControlCharacters) : withoutControlCharacters(values[0]!);
  }
  return clean;
}
