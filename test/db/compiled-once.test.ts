import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type CompiledQuery,
} from 'kysely';
import { compiledOnce, type CompiledOnce } from '../../src/db/compiled-once';
import type { Database } from '../../src/db/schema';
import type { Role } from '../../src/db/schema';
import { dueFollowUpsStatement } from '../../src/referrals/queries';
import { dayCandidatesStatement } from '../../src/today/queries';
import { sessionWithUserStatement } from '../../src/users/queries';

// Compiling needs no database: Kysely's dummy driver never connects.
const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const sent = (query: CompiledQuery) => ({ sql: query.sql, parameters: query.parameters });

/** Every call, in this order, must send exactly what building the statement afresh would. */
function expectSameAsAfresh<S extends Record<string, string | number | boolean | null>, V extends Record<string, unknown>>(
  statement: CompiledOnce<S, V, unknown>,
  calls: ReadonlyArray<[S, V]>,
) {
  for (const [shape, values] of calls) {
    expect(sent(statement.compile(db, shape, values))).toEqual(sent(statement.compileAfresh(db, shape, values)));
  }
}

const viewers: ReadonlyArray<{ role: Role; userId: number; teamId: number | null; today: string }> = [
  { role: 'coach', userId: 7, teamId: 2, today: '2026-12-07' },
  { role: 'coach', userId: 8, teamId: null, today: '2026-12-08' },
  { role: 'manager', userId: 3, teamId: 2, today: '2026-12-07' },
  { role: 'manager', userId: 4, teamId: null, today: '2026-12-09' },
  { role: 'admin', userId: 1, teamId: null, today: '2026-12-07' },
  { role: 'coach', userId: 9, teamId: 5, today: '2027-01-01' },
];

describe('statements compiled once per shape', () => {
  it("the coach's day sends for every viewer what a fresh build sends", () => {
    expectSameAsAfresh(
      dayCandidatesStatement,
      viewers.map(({ role, ...values }) => [{ role }, values]),
    );
  });

  it('the due referral follow-ups send for every viewer what a fresh build sends', () => {
    expectSameAsAfresh(
      dueFollowUpsStatement,
      viewers.map(({ role, ...values }, index) => [{ role }, { ...values, limit: 20 + index }]),
    );
  });

  it('the session read sends for every session what a fresh build sends', () => {
    expectSameAsAfresh(sessionWithUserStatement, [
      [{}, { sid: 'a', notExpiredAtSeconds: 1_765_000_000.5, today: '2026-12-07' }],
      [{}, { sid: 'b', notExpiredAtSeconds: 1_765_086_400, today: '2026-12-08' }],
    ]);
  });

  it('fills in each call its own values, in the places of the compiled parameters', () => {
    const statement = compiledOnce((kysely, shape: { table: 'users' | 'teams' }, values: { id: number; name: string }) =>
      kysely
        .selectFrom(shape.table)
        .select('id')
        .where('id', '=', values.id)
        .where(sql<boolean>`${values.name} = 'x'`)
        .where('id', '<>', 0),
    );
    expect(sent(statement.compile(db, { table: 'users' }, { id: 4, name: 'a' }))).toEqual({
      sql: 'select "id" from "users" where "id" = $1 and $2 = \'x\' and "id" <> $3',
      parameters: [4, 'a', 0],
    });
    expect(sent(statement.compile(db, { table: 'users' }, { id: 5, name: 'b' })).parameters).toEqual([5, 'b', 0]);
    expect(sent(statement.compile(db, { table: 'teams' }, { id: 6, name: 'c' }))).toEqual({
      sql: 'select "id" from "teams" where "id" = $1 and $2 = \'x\' and "id" <> $3',
      parameters: [6, 'c', 0],
    });
  });

  it('builds each shape once', () => {
    const build = jest.fn((kysely: Kysely<Database>, _shape: { role: Role }, values: { id: number }) =>
      kysely.selectFrom('users').select('id').where('id', '=', values.id),
    );
    const statement = compiledOnce(build);
    for (const id of [1, 2, 3]) statement.compile(db, { role: 'coach' }, { id });
    statement.compile(db, { role: 'admin' }, { id: 4 });
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('tells apart a build that computes with a value: the comparison above would catch it', () => {
    // Wrong use: the value is computed with while building, so the compiled-once statement keeps
    // the first call's result for every later call.
    const statement = compiledOnce((kysely, _shape: Record<string, never>, values: { id: number | null }) =>
      kysely
        .selectFrom('users')
        .select('id')
        .where('id', '=', values.id ?? -1),
    );
    statement.compile(db, {}, { id: 3 });
    expect(() => expectSameAsAfresh(statement, [[{}, { id: null }]])).toThrow();
  });
});
