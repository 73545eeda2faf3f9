import type { ObjectRef } from '@pothos/core';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { resolveCursorConnection, type DefaultConnectionArguments } from '@pothos/plugin-relay';
import { Kind, type GraphQLResolveInfo } from 'graphql';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { narrowPageQuery } from './columns.ts';
import { decodeCursor, encodeCursor, keysetOrderBy, keysetWhere, type KeysetSort } from './keyset.ts';
import { modelOfType } from './relation-guard.ts';

/**
 * Root list fields: Relay connections with keyset pagination and a total count.
 *
 * One SELECT per page (the nested relations the query asks for are planned by the Prisma plugin from
 * the selection set, so a page of orders with merchant, service, channel and payments is one query per
 * relation, not per row) and, only when `totalCount` is selected, one COUNT with the same WHERE. The
 * page reads only the columns its selection needs (columns.ts).
 */

const NODE_PATHS = [['nodes'], ['edges', 'node']] as const;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;

type Row = Record<string, unknown>;
type Where = Record<string, unknown>;

export interface ListPage<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { startCursor?: string | null; endCursor?: string | null; hasNextPage: boolean; hasPreviousPage: boolean };
  /** Lazily counted: only a query that selects `totalCount` runs the COUNT. */
  totalCount: () => Promise<number>;
}

export interface KeysetConnectionOptions<T> {
  ctx: GraphQLContext;
  info: GraphQLResolveInfo;
  args: DefaultConnectionArguments;
  /** GraphQL type name of the nodes (a prismaObject). */
  typeName: string;
  sort: KeysetSort;
  /** The list's full filter, access rule included: used for the page and for the count. */
  where: Where;
  findMany: (query: { where: Where; orderBy: Array<Record<string, unknown>>; take: number; select?: Row; include?: Row }) => Promise<T[]>;
  count: (query: { where: Where }) => Promise<number>;
}

export async function keysetConnection<T extends Row>(opts: KeysetConnectionOptions<T>): Promise<ListPage<T>> {
  const { ctx, info, args, sort, where } = opts;
  let counted: Promise<number> | undefined;
  const totalCount = () => (counted ??= opts.count({ where }));

  const planned = (await queryFromInfo({
    context: ctx,
    info,
    typeName: opts.typeName,
    paths: NODE_PATHS.map((p) => [...p]),
    awaitSelections: true,
  })) as { select?: Row; include?: Row };
  const model = modelOfType(opts.typeName);
  const query = model ? narrowPageQuery(ctx, info, opts.typeName, model, planned, NODE_PATHS) : planned;
  if (query.select) query.select = { ...query.select, [sort.column.field]: true, [sort.id.field]: true };

  const wantsRows = selectsMoreThanCount(info);
  const page = await resolveCursorConnection(
    // Cursors are made when asked for (lazyEdge), not for every row of every page.
    { args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE, toCursor: () => '' },
    async ({ before, after, limit, inverted }) => {
      // Decode even when rows are not wanted, so a bad cursor is always an error.
      const bounds = {
        ...(after ? { after: decodeCursor(sort, after) } : {}),
        ...(before ? { before: decodeCursor(sort, before) } : {}),
      };
      if (!wantsRows) return [] as Row[];
      const seek = keysetWhere(sort, bounds);
      return opts.findMany({
        ...query,
        where: Object.keys(seek).length ? { AND: [where, seek] } : where,
        orderBy: keysetOrderBy(sort, inverted),
        take: limit,
      }) as Promise<Row[]>;
    },
  );
  const edges = page.edges.map((edge) => (edge ? lazyEdge(sort, edge.node as Row) : edge));
  const pageInfo = { ...page.pageInfo };
  if (edges.length > 0) {
    pageInfo.startCursor = edges[0]?.cursor;
    pageInfo.endCursor = edges[edges.length - 1]?.cursor;
  }
  return { edges, pageInfo, totalCount } as unknown as ListPage<T>;
}

/** An edge whose cursor is encoded when read: a page whose query selects no cursors encodes two (pageInfo's). */
function lazyEdge(sort: KeysetSort, node: Row): { cursor: string; node: Row } {
  let cursor: string | undefined;
  return {
    node,
    get cursor() {
      return (cursor ??= encodeCursor(sort, node));
    },
  };
}

/** False when the connection's selection is only `totalCount` (and `__typename`): then no page is read. */
function selectsMoreThanCount(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) =>
    (node.selectionSet?.selections ?? []).some(
      (s) => s.kind !== Kind.FIELD || (s.name.value !== 'totalCount' && s.name.value !== '__typename'),
    ),
  );
}

/**
 * The connection type of a list: `edges { cursor node }`, `nodes`, `pageInfo`, `totalCount`.
 * Named `<Name>Connection` / `<Name>Edge`.
 */
export function listConnection<T>(name: string, nodeRef: ObjectRef<any, T>) {
  return builder.connectionObject(
    {
      type: nodeRef as never,
      name: `${name}Connection`,
      fields: (t: any) => ({
        totalCount: t.int({
          description: 'Rows matching the filter (a separate COUNT with the same filter, only run when selected).',
          resolve: (parent: ListPage<T>) => parent.totalCount(),
        }),
        nodes: t.field({
          type: [nodeRef],
          description: 'The nodes of `edges`, for clients that need no cursors per row.',
          resolve: (parent: ListPage<T>) => parent.edges.map((e) => e.node),
        }),
      }),
    } as never,
    { name: `${name}Edge` } as never,
  );
}
