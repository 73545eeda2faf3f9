import { createContextCache } from '@pothos/core';
import { getDatamodel } from '../../generated/pothos-types.ts';
import { accessibleWhere, type ModelName } from '../../modules/auth/ability.ts';
import { requireViewer } from '../../modules/auth/authorize.ts';
import type { GraphQLContext } from '../context.ts';
import type { Where } from './filters.ts';

/**
 * The read side of the CASL ability, for lists, node() and nested relations.
 *
 * - `readWhere(ctx, 'Order')` (the CASL subject; the payins list): the Prisma where of the rows the viewer may read (AND it with filters).
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

/** Decisions per ability (built once per request or socket, never changed) and model. */
const decisions = new WeakMap<object, Map<ReadModel, Decision>>();

/** Whether the ability's read rules for a model need a per-row check. */
function decide(ctx: GraphQLContext, model: ReadModel): Decision {
  let byModel = decisions.get(ctx.ability);
  if (!byModel) {
    byModel = new Map();
    decisions.set(ctx.ability, byModel);
  }
  let decision = byModel.get(model);
  if (decision === undefined) {
    decision = decideRules(ctx.ability.rulesFor('read', model));
    byModel.set(model, decision);
  }
  return decision;
}

function decideRules(rules: ReadonlyArray<{ inverted: boolean; conditions?: unknown }>): Decision {
  if (rules.length === 0) return 'none';
  if (rules.some((r) => r.inverted)) return 'per-row';
  return rules.some((r) => !r.conditions) ? 'all' : 'per-row';
}

interface Batch {
  decided: Map<string, Promise<boolean>>;
  /** Pending ids (as given: strings for uuid keys, bigints for bigint keys) and their resolvers. */
  pending: Map<string, { id: unknown; resolve: (readable: boolean) => void }>;
  scheduled: boolean;
}

const batches = createContextCache((_ctx: GraphQLContext) => new Map<ReadModel, Batch>());

const delegateName = (model: ReadModel) => `${model[0]!.toLowerCase()}${model.slice(1)}`;

function readableId(ctx: GraphQLContext, model: ReadModel, rawId: unknown): Promise<boolean> {
  const id = String(rawId);
  const byModel = batches(ctx);
  let batch = byModel.get(model);
  if (!batch) {
    batch = { decided: new Map(), pending: new Map(), scheduled: false };
    byModel.set(model, batch);
  }
  const known = batch.decided.get(id);
  if (known) return known;
  const current = batch;
  const promise = new Promise<boolean>((resolve) => current.pending.set(id, { id: rawId, resolve }));
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
      where: { AND: [{ id: { in: [...pending.values()].map((p) => p.id) } }, readWhere(ctx, model)] },
      select: { id: true },
    });
    const allowed = new Set(rows.map((r) => String(r.id)));
    for (const [id, p] of pending) p.resolve(allowed.has(id));
  } catch (error) {
    ctx.log.error({ err: error, model }, 'access check failed; hiding the rows');
    for (const p of pending.values()) p.resolve(false);
  }
}

type DmmfField = { name: string; kind: string; type: string; isList: boolean; relationFromFields?: readonly string[] };
const MODELS_DMMF = getDatamodel().datamodel.models as unknown as Record<string, { fields: DmmfField[] }>;

/** Scalar (and enum) columns of each model: conditions on these alone can be decided on a loaded row. */
const SCALARS: Map<string, Set<string>> = new Map(
  Object.entries(MODELS_DMMF).map(([name, m]) => [name, new Set(m.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum').map((f) => f.name))]),
);

/** To-one relations of each model: name → related model and the foreign key column. */
const TO_ONE: Map<string, Map<string, { model: string; fk: string | undefined }>> = new Map(
  Object.entries(MODELS_DMMF).map(([name, m]) => [
    name,
    new Map(m.fields.filter((f) => f.kind === 'object' && !f.isList).map((f) => [f.name, { model: f.type, fk: f.relationFromFields?.[0] }])),
  ]),
);

/**
 * Whether a rule's conditions can be decided on the loaded row: they name only scalar columns the row
 * carries, or `{ relation: { is: … } }` of a to-one relation the row carries (itself decidable).
 */
function decidableOnRow(model: string, conditions: unknown, row: Record<string, unknown>): boolean {
  if (conditions === undefined || conditions === null) return true;
  if (Array.isArray(conditions)) return conditions.every((c) => decidableOnRow(model, c, row));
  if (typeof conditions !== 'object') return false;
  for (const [key, value] of Object.entries(conditions as Record<string, unknown>)) {
    if (key === 'AND' || key === 'OR' || key === 'NOT') {
      if (!decidableOnRow(model, value, row)) return false;
      continue;
    }
    if (SCALARS.get(model)?.has(key)) {
      if (!(key in row)) return false;
      continue;
    }
    const relation = TO_ONE.get(model)?.get(key);
    const nested = row[key];
    const clause = value as Record<string, unknown> | null;
    if (!relation || !nested || typeof nested !== 'object' || !clause || typeof clause !== 'object') return false;
    if (Object.keys(clause).length !== 1 || !('is' in clause)) return false;
    if (!decidableOnRow(relation.model, clause.is, nested as Record<string, unknown>)) return false;
  }
  return true;
}

/** The loaded parent of a relation field (the object whose field returned the row). */
export interface ParentRow {
  model: string;
  row: Record<string, unknown>;
}

/** The row with its parent attached under the relation that points back to it (a payment's `order` when reached through `Payin.payments`). */
function withParent(model: ReadModel, row: Record<string, unknown>, parent: ParentRow | undefined): Record<string, unknown> {
  if (!parent || parent.row.id === undefined) return row;
  for (const [name, relation] of TO_ONE.get(model) ?? []) {
    if (relation.model !== parent.model || !relation.fk || name in row) continue;
    if (row[relation.fk] !== undefined && row[relation.fk] !== null && String(row[relation.fk]) === String(parent.row.id)) {
      return { ...row, [name]: parent.row };
    }
  }
  return row;
}

/**
 * Whether the viewer may read this loaded row of `model`. Rules that can be decided on the row (see
 * decidableOnRow; the parent it was reached from counts as its loaded relation) are decided in memory,
 * without a query, and then the answer is immediate (no promise: a page of 100 rows with three guarded
 * relations would otherwise cost 300 promises and their microtask turns); any other rule (a condition
 * through a relation that is not loaded, a column the row was loaded without) is decided in SQL,
 * batched per model and tick.
 */
export function canReadRow(ctx: GraphQLContext, model: ReadModel, row: { id: unknown }, parent?: ParentRow): boolean | Promise<boolean> {
  const decision = decide(ctx, model);
  if (decision === 'all') return true;
  if (decision === 'none') return false;
  const rules = ctx.ability.rulesFor('read', model);
  if (!rules.some((r) => r.inverted)) {
    const data = withParent(model, row as Record<string, unknown>, parent);
    const local = rules.filter((r) => decidableOnRow(model, r.conditions, data));
    if (local.some((r) => r.matchesConditions(data as never))) return true;
    if (local.length === rules.length) return false;
  }
  return readableId(ctx, model, row.id);
}

/** A loaded to-one relation, or null when the viewer may not read it (at once when decided in memory). */
export function guard<T extends { id: unknown }>(ctx: GraphQLContext, model: ReadModel, row: T | null | undefined, parent?: ParentRow): T | null | Promise<T | null> {
  if (!row) return null;
  const readable = canReadRow(ctx, model, row, parent);
  if (typeof readable === 'boolean') return readable ? row : null;
  return readable.then((ok) => (ok ? row : null));
}

/** The rows of a loaded to-many relation the viewer may read, in their order (at once when all are decided in memory). */
export function guardAll<T extends { id: unknown }>(ctx: GraphQLContext, model: ReadModel, rows: readonly T[], parent?: ParentRow): T[] | Promise<T[]> {
  const decision = decide(ctx, model);
  if (decision === 'all') return [...rows];
  if (decision === 'none') return [];
  const readable = rows.map((row) => canReadRow(ctx, model, row, parent));
  if (readable.every((r) => typeof r === 'boolean')) return rows.filter((_row, i) => readable[i]);
  return Promise.all(readable).then((flags) => rows.filter((_row, i) => flags[i]));
}
