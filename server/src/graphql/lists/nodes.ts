import type { GraphQLContext } from '../context.ts';
import { readWhere, type ReadModel } from './access.ts';

/**
 * Options for `builder.prismaNode` that make `node(id)` / `nodes(ids)` (and the plugin's fallback
 * loads) apply the viewer's read rule in SQL: the unique lookup is ANDed with the access where, so a
 * row the viewer may not read is `null`, exactly like a row that does not exist.
 */

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function nodeAccess(model: ReadModel, idKind: 'uuid' | 'bigint' = 'uuid') {
  return {
    nullable: true as const,
    findUnique: (id: string, ctx: GraphQLContext) => ({ id: parseNodeId(id, idKind), AND: [readWhere(ctx, model)] }) as never,
  };
}

/** Currency is keyed by its code. */
export function currencyNodeAccess() {
  return {
    nullable: true as const,
    findUnique: (code: string, ctx: GraphQLContext) => ({ code, AND: [readWhere(ctx, 'Currency')] }) as never,
  };
}

/** A malformed id finds nothing (rather than a database error): the nil UUID / 0 never exist. */
function parseNodeId(id: string, kind: 'uuid' | 'bigint'): string | bigint {
  if (kind === 'bigint') return /^\d{1,19}$/.test(id) ? BigInt(id) : 0n;
  return UUID.test(id) ? id : NIL_UUID;
}
