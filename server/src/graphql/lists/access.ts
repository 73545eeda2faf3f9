import { createContextCache } from '@pothos/core';
import { accessibleWhere, type ModelName } from '../../modules/auth/ability.ts';
import { requireViewer } from '../authz.ts';
import type { GraphQLContext } from '../context.ts';
import type { Where } from './filters.ts';

/**
 * The read side of the CASL ability, for lists, node() and nested relations.
 *
 * - `readWhere(ctx, 'Order')`: the Prisma where of the rows the viewer may read (AND it with filters).
 *   Throws UNAUTHENTICATED (or MFA_REQUIRED) for a caller who is not signed in. A viewer with no
 *   matching rule gets `{ OR: [] }`: zero rows, never an error (a list the viewer may not see is empty).
 * - `guard(ctx, 'Channel', row)`: a loaded to-one relation, or null when the viewer may not read that
 *   row (an order's channel for a merchant user, a transfer's target merchant …). Decided in SQL by the
 *   same access where, batched: all the rows of one model asked for in one tick cost one query, so a
 *   page of 100 orders with their channels adds one query, not 100. Unconditional grants and models
 *   without any rule are decided without a query.
 */

export type ReadModel = ModelName;

export function readWhere(ctx: GraphQLContext, model: ReadModel): Where {
  requireViewer(ctx);
  return accessibleWhere(ctx.ability, 'read', model) as Where;
}

type Decision = 'all' | 'none' | 'per-row';

/** Whether the ability's read rules for a model need a per-row check. */
function decide(ctx: GraphQLContext, model: ReadModel): Decision {
  const rules = ctx.ability.rulesFor('read', model);
  if (rules.length === 0) return 'none';
  if (rules.some((r) => r.inverted)) return 'per-row';
  return rules.some((r) => !r.conditions) ? 'all' : 'per-row';
}

interface Batch {
  decided: Map<string, Promise<boolean>>;
  pending: Map<string, (readable: boolean) => void>;
  scheduled: boolean;
}

const batches = createContextCache((_ctx: GraphQLContext) => new Map<ReadModel, Batch>());

const delegateName = (model: ReadModel) => `${model[0]!.toLowerCase()}${model.slice(1)}`;

function readableId(ctx: GraphQLContext, model: ReadModel, id: string): Promise<boolean> {
  const byModel = batches(ctx);
  let batch = byModel.get(model);
  if (!batch) {
    batch = { decided: new Map(), pending: new Map(), scheduled: false };
    byModel.set(model, batch);
  }
  const known = batch.decided.get(id);
  if (known) return known;
  const current = batch;
  const promise = new Promise<boolean>((resolve) => current.pending.set(id, resolve));
  batch.decided.set(id, promise);
  if (!batch.scheduled) {
    batch.scheduled = true;
    process.nextTick(() => void flush(ctx, model, current));
  }
  return promise;
}

async function flush(ctx: GraphQLContext, model: ReadModel, batch: Batch): Promise<void> {
  const pending = new Map(batch.pending);
  batch.pending.clear();
  batch.scheduled = false;
  try {
    const delegate = (ctx.prisma as unknown as Record<string, { findMany(args: unknown): Promise<Array<{ id: unknown }>> }>)[delegateName(model)]!;
    const rows = await delegate.findMany({
      where: { AND: [{ id: { in: [...pending.keys()] } }, readWhere(ctx, model)] },
      select: { id: true },
    });
    const allowed = new Set(rows.map((r) => String(r.id)));
    for (const [id, resolve] of pending) resolve(allowed.has(id));
  } catch (error) {
    ctx.log.error({ err: error, model }, 'access check failed; hiding the rows');
    for (const resolve of pending.values()) resolve(false);
  }
}

/** A loaded to-one relation, or null when the viewer may not read it. */
export async function guard<T extends { id: unknown }>(ctx: GraphQLContext, model: ReadModel, row: T | null | undefined): Promise<T | null> {
  if (!row) return null;
  switch (decide(ctx, model)) {
    case 'all':
      return row;
    case 'none':
      return null;
    case 'per-row':
      return (await readableId(ctx, model, String(row.id))) ? row : null;
  }
}
