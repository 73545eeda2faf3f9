import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import type PrismaTypes from '../generated/pothos-types.ts';
import { getDatamodel } from '../generated/pothos-types.ts';
import { DomainError } from '../lib/errors.ts';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from './context.ts';

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
  plugins: [ErrorsPlugin, PrismaPlugin, RelayPlugin],
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
          throw new GraphQLError(`nodes: at most ${MAX_NODES_IDS} ids per request`, { extensions: { code: 'TOO_MANY_IDS', field: 'ids', max: MAX_NODES_IDS } });
        }
        return resolveNodes(args.ids);
      },
    },
  },
  errors: {
    // A field that declares `errors: {}` returns any DomainError it throws as a typed result (its
    // stable `code`), beside the types it lists itself (subclasses win: AuthError before DomainError).
    defaultTypes: [DomainError],
  },
});

builder.queryType({});
builder.mutationType({});

/**
 * Expected failures (Pothos errors plugin): every error result implements `Error`, so a client can
 * always read `... on Error { code message }` and switch on `code` (SCREAMING_SNAKE, stable).
 * Unexpected failures stay GraphQL errors (masked in production); authorization failures are GraphQL
 * errors with `extensions.code` UNAUTHENTICATED / MFA_REQUIRED / FORBIDDEN (see authz.ts).
 */
export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'An expected failure with a stable code.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Stable SCREAMING_SNAKE code, e.g. AMOUNT_OUT_OF_RANGE.' }),
    message: t.exposeString('message', { description: 'For people and logs; do not switch on it.' }),
  }),
});

builder.objectType(DomainError, {
  name: 'DomainError',
  description: 'A business rule refused the request; nothing was changed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    details: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Machine-readable context (field, min, max …).',
      resolve: (error) => error.details ?? null,
    }),
  }),
});
