// Search boxes match with LIKE, where % and _ are wildcards and \ escapes them (PostgreSQL's
// default escape character). What a person types is text, never a pattern.

/** Text for a LIKE pattern, its wildcards and the escape character taken literally. */
export function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE pattern matching anything that contains the text, as typed. */
export function containing(text: string): string {
  return `%${likeEscaped(text)}%`;
}
