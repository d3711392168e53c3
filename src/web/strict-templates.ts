import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { escapeHtml } from './escape-html';

/** Renders a strict template (views/<name>.ejs) with its data; see strictTemplates. */
export type StrictInclude = (name: string, data: Record<string, unknown>) => string;

/** Where the strict templates are: a fixed set, so a view cannot name any other file. */
const STRICT_TEMPLATES = new Set(['today/_row']);

/**
 * Templates compiled in EJS's strict mode, for the rows of the longest lists. Express compiles
 * views with EJS's default `with (locals) { … }` around the template, which lets a view name its
 * data freely but makes every name inside it a lookup at run time, V8 cannot resolve it in advance:
 * /today's 30 rows took 1.5 ms to render that way against 0.66 ms without (measured in the app on
 * the bench dataset). A strict template names what it reads from `locals` at its top instead, and
 * views use it through `strictInclude(name, data)` where `include` would be. The same escaping
 * and options as every other view; compiled once when views are cached (production), else again
 * when the file changes.
 */
export function strictTemplates(viewsDir: string, options: { cache: boolean; compileDebug: boolean }): StrictInclude {
  const compiled = new Map<string, { template: ejs.TemplateFunction; modifiedAt: number }>();
  const compile = (name: string, filename: string, modifiedAt: number) => {
    const template = ejs.compile(fs.readFileSync(filename, 'utf8'), {
      filename,
      strict: true,
      rmWhitespace: true,
      compileDebug: options.compileDebug,
      escape: escapeHtml,
    });
    compiled.set(name, { template, modifiedAt });
    return template;
  };
  return (name, data) => {
    if (!STRICT_TEMPLATES.has(name)) throw new Error(`${name} is not a strict template`);
    const entry = compiled.get(name);
    if (entry !== undefined && options.cache) return entry.template(data);
    // Without the cache (development) an edited template is compiled again, as Express does with
    // views: checked by its modification time, since a page includes it once per row.
    const filename = path.join(viewsDir, `${name}.ejs`);
    const modifiedAt = fs.statSync(filename).mtimeMs;
    const template =
      entry !== undefined && entry.modifiedAt === modifiedAt ? entry.template : compile(name, filename, modifiedAt);
    return template(data);
  };
}
