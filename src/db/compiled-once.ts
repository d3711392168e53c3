import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * Stands in for one of a call's values while a statement is built: Kysely carries it into the
 * compiled parameters like any other value, and each call puts its own value in its place.
 */
class Slot {
  constructor(readonly name: string) {}
}

/** What a shape of the statement compiled to: its SQL, and its parameters with slots among them. */
interface Template {
  sql: string;
  parameters: readonly unknown[];
}

/** What the SQL of a statement depends on (a viewer's role, say): a few plain values. */
type Shape = Record<string, string | number | boolean | null>;

export interface CompiledOnce<S extends Shape, V extends Record<string, unknown>, Row> {
  /** The statement for these values, compiled for their shape at most once. */
  compile(db: Kysely<Database>, shape: S, values: V): CompiledQuery<Row>;
  execute(db: Kysely<Database>, shape: S, values: V): Promise<Row[]>;
  /** The same statement built and compiled afresh with the values themselves: what `compile` must equal. */
  compileAfresh(db: Kysely<Database>, shape: S, values: V): CompiledQuery<Row>;
}

/**
 * A statement that Kysely builds and compiles once per shape and that each call then only fills
 * with its values. Building and compiling a large statement costs the main thread as much as
 * rendering part of a page (the coach's day: ~0.5 ms per request, the session read that every
 * signed-in request makes ~0.25 ms), for SQL that is the same text every time. Only for such hot
 * statements; everything else is built per call as usual.
 *
 * `build` receives the shape as it is and the values as stand-ins: it must pass each value to
 * Kysely as a value (where, sql`${…}`, limit), never compute with it, branch on it or spread it
 * (an array would be expanded into one parameter per element). What decides the SQL's text
 * belongs in the shape. test/db/compiled-once.test.ts compares each such statement, filled in,
 * with the same statement built afresh for every shape. Kysely plugins (the app has none) see
 * only its results: it is not built again to pass through their transformQuery.
 */
export function compiledOnce<S extends Shape, V extends Record<string, unknown>, Row>(
  build: (db: Kysely<Database>, shape: S, values: V) => Compilable<Row>,
): CompiledOnce<S, V, Row> {
  const templates = new Map<string, Template>();

  function templateFor(db: Kysely<Database>, shape: S, values: V): Template {
    const key = JSON.stringify(shape);
    let template = templates.get(key);
    if (template === undefined) {
      const slots = Object.fromEntries(Object.keys(values).map((name) => [name, new Slot(name)])) as unknown as V;
      const compiled = build(db, shape, slots).compile();
      template = { sql: compiled.sql, parameters: compiled.parameters };
      templates.set(key, template);
    }
    return template;
  }

  function compile(db: Kysely<Database>, shape: S, values: V): CompiledQuery<Row> {
    const template = templateFor(db, shape, values);
    const parameters = template.parameters.map((parameter) => (parameter instanceof Slot ? values[parameter.name] : parameter));
    return CompiledQuery.raw(template.sql, parameters);
  }

  return {
    compile,
    async execute(db, shape, values) {
      const result = await db.executeQuery(compile(db, shape, values));
      return result.rows;
    },
    compileAfresh: (db, shape, values) => build(db, shape, values).compile(),
  };
}
