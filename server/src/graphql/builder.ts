import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import type PrismaTypes from '../generated/pothos-types.ts';
import { getDatamodel } from '../generated/pothos-types.ts';
import { DomainError } from '../lib/errors.ts';
import type { GraphQLContext } from './context.ts';

/**
 * The schema builder. Refusals are not part of the schema: a field throws a DomainError and
 * graphql/errors.ts presents it as a GraphQL error with its stable `extensions.code`.
 */

/** The most ids one `nodes(ids:)` call may ask for. */
export const MAX_NODES_IDS = 100;

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    /** Money and rates as exact decimal strings, e.g. "150.00". */
    Decimal: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesQueryOptions: {
      description: `Objects by global id (at most ${MAX_NODES_IDS}); null for ids the viewer may not read.`,
      resolve: (_root, args, _ctx, _info, resolveNodes) => {
        // Each id may be its own lookup: an unbounded list would hold connections for as long as it likes.
        if (args.ids.length > MAX_NODES_IDS) {
          throw new DomainError('TOO_MANY_IDS', `nodes: at most ${MAX_NODES_IDS} ids per request`, { field: 'ids', max: MAX_NODES_IDS });
        }
        return resolveNodes(args.ids);
      },
    },
  },
});

builder.queryType({});
builder.mutationType({});
