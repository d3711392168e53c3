import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * Counts the queries sent through a Kysely handle (raw sql and statements compiled once included):
 * `db.withPlugin(counter)`. Tests use it to show that a page's queries do not grow with the number
 * of rows. It counts each answer, not each build: a statement compiled once (src/db/compiled-once.ts)
 * is executed without being built again, so a plugin only sees its result.
 */
export class QueryCounter implements KyselyPlugin {
  count = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count += 1;
    return Promise.resolve(args.result);
  }
}
