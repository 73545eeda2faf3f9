import { getNamedType, isObjectType, Kind, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { getDatamodel } from '../../generated/pothos-types.ts';
import type { GraphQLContext } from '../context.ts';

/**
 * The columns a list page reads: only those its selection needs, not the whole row.
 *
 * Pothos plans a prismaNode in include mode as "every column plus the relations asked for"; an order
 * has 40-odd columns, and Prisma's per-column result mapping for 100 of them was the largest single
 * cost of the payin list (issue 14: 2–3 ms of CPU per page for columns nobody asked for, and the
 * garbage they leave). Here the page's planned query becomes a `select` of:
 *
 * - the columns behind the node fields asked for: an exposed field (`t.exposeString('orderNo')`) reads
 *   its own column; a custom field declares what it reads with `readsColumns([...])` in its extensions
 *   (`amount` reads amount and currencyCode; a relation-only field reads none); a Prisma relation field
 *   reads its relation, which stays in the query as Pothos planned it;
 * - always the primary key and every foreign key (relation guards attach parents by them), and every
 *   column any of the viewer's ability rules names in a condition (so in-memory checks and masking
 *   decide on the loaded row exactly as on a whole row).
 *
 * A selected field that says nothing about its columns keeps the whole row: narrowing is only ever
 * applied when every field's needs are known, so a new custom field cannot silently read `undefined`.
 * Only the planned page query is narrowed; rows that reach a type by other ways (mutations,
 * subscriptions, node()) stay whole.
 */

/** Extension key of a field's column needs. */
const READS_COLUMNS = 'payrailReadsColumns';

interface ColumnNeeds {
  columns: readonly string[];
  /** A to-one relation the field's resolver reads as its `select` planned it (a guarded relation field). */
  relation?: string;
}

/** Field extensions saying which columns (and which to-one relation) of the parent row a custom field's resolver reads. */
export function readsColumns(columns: readonly string[], opts: { relation?: string } = {}): { [READS_COLUMNS]: ColumnNeeds } {
  return { [READS_COLUMNS]: { columns, ...opts } };
}

type Row = Record<string, unknown>;
type DmmfField = { name: string; kind: string; type: string; isList: boolean; relationFromFields?: readonly string[] };
const MODELS = getDatamodel().datamodel.models as unknown as Record<string, { fields: DmmfField[] }>;

interface ModelShape {
  scalars: Set<string>;
  /** Always read: the primary key `id` and every foreign key. */
  always: string[];
  /** To-one relations: name → related model. */
  toOne: Map<string, string>;
}

const SHAPES: Map<string, ModelShape> = new Map(
  Object.entries(MODELS).map(([name, m]) => {
    const scalars = new Set(m.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum').map((f) => f.name));
    const keys = m.fields.flatMap((f) => (f.kind === 'object' ? [...(f.relationFromFields ?? [])] : []));
    const toOne = new Map(m.fields.filter((f) => f.kind === 'object' && !f.isList).map((f) => [f.name, f.type]));
    return [name, { scalars, always: [...new Set(['id', ...keys])].filter((c) => scalars.has(c)), toOne }];
  }),
);

/**
 * The planned page query with only the columns the selection needs, or the query unchanged when a
 * selected field's needs are unknown (or the type is planned in select mode already). To-one relations
 * planned whole (`merchant: true`) are narrowed the same way, from their own sub-selection.
 */
export function narrowPageQuery(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  typeName: string,
  model: string,
  query: { select?: Row; include?: Row },
  paths: ReadonlyArray<readonly string[]>,
): { select?: Row; include?: Row } {
  const type = info.schema.getType(typeName);
  if (query.select || !query || !isObjectType(type)) return query;
  const fields = new Map<string, FieldNode[]>();
  for (const path of paths) for (const node of info.fieldNodes) collectAt(info, node.selectionSet, path, fields);
  const select = narrowSelect(info, conditionColumns(ctx), type, model, query.include ?? {}, fields);
  return select ? { select } : query;
}

/** The `select` of one model's row for the fields selected of its type, or undefined when a field's needs are unknown. */
function narrowSelect(
  info: GraphQLResolveInfo,
  ruleColumns: ReadonlySet<string>,
  type: GraphQLObjectType,
  model: string,
  include: Row,
  fields: ReadonlyMap<string, FieldNode[]>,
): Row | undefined {
  const shape = SHAPES.get(model);
  if (!shape) return undefined;
  const columns = new Set(shape.always);
  /** Relation name → the field nodes that read it whole. */
  const relations = new Map<string, { type: GraphQLObjectType; nodes: FieldNode[] }>();
  for (const [name, nodes] of fields) {
    const needs = columnsOf(type, name, shape.scalars);
    if (!needs) return undefined;
    for (const column of needs.columns) columns.add(column);
    const related = needs.relation ? getNamedType(type.getFields()[name]!.type) : undefined;
    if (needs.relation && isObjectType(related)) {
      const entry = relations.get(needs.relation) ?? { type: related, nodes: [] };
      entry.nodes.push(...nodes);
      relations.set(needs.relation, entry);
    }
  }
  for (const column of ruleColumns) if (shape.scalars.has(column)) columns.add(column);
  const select: Row = {};
  for (const column of columns) select[column] = true;
  for (const [name, planned] of Object.entries(include)) select[name] = narrowRelation(info, ruleColumns, shape, name, planned, relations.get(name));
  return select;
}

/** A to-one relation planned whole, narrowed to its fields' columns; anything else as planned. */
function narrowRelation(
  info: GraphQLResolveInfo,
  ruleColumns: ReadonlySet<string>,
  shape: ModelShape,
  name: string,
  planned: unknown,
  read: { type: GraphQLObjectType; nodes: FieldNode[] } | undefined,
): unknown {
  const model = shape.toOne.get(name);
  if (planned !== true || !model || !read) return planned;
  const fields = new Map<string, FieldNode[]>();
  for (const node of read.nodes) collectAt(info, node.selectionSet, [], fields);
  const select = narrowSelect(info, ruleColumns, read.type, model, {}, fields);
  return select ? { select } : planned;
}

/** What one field of a type reads of its row, or undefined when it does not say. */
function columnsOf(type: GraphQLObjectType, name: string, scalars: ReadonlySet<string>): ColumnNeeds | undefined {
  if (name === '__typename') return { columns: [] };
  const field = type.getFields()[name];
  if (!field) return undefined;
  const extensions = field.extensions as Record<string, unknown>;
  const declared = extensions[READS_COLUMNS] as ColumnNeeds | undefined;
  if (declared) return declared.columns.every((c) => scalars.has(c)) ? declared : undefined;
  const relation = extensions.pothosPrismaRelationField as { name?: unknown; isList?: unknown } | undefined;
  if (relation && typeof relation.name === 'string') return { columns: [], ...(relation.isList ? {} : { relation: relation.name }) };
  const exposed = extensions.pothosExposedField;
  if (typeof exposed === 'string' && scalars.has(exposed)) return { columns: [exposed] };
  // A relay node's global `id` is made from the primary key, which is always read.
  if (name === 'id' && getNamedType(field.type).name === 'ID') return { columns: [] };
  return undefined;
}

/**
 * Names of the fields selected under `path` (e.g. edges → node), through fragments. A field under a
 * @skip/@include directive counts as selected: more columns than needed, never fewer.
 */
function collectAt(info: GraphQLResolveInfo, set: SelectionSetNode | undefined, path: readonly string[], into: Map<string, FieldNode[]>): void {
  if (!set) return;
  for (const selection of set.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectAt(info, selection.selectionSet, path, into);
    } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      collectAt(info, info.fragments[selection.name.value]?.selectionSet, path, into);
    } else if (path.length === 0) {
      const nodes = into.get(selection.name.value) ?? [];
      nodes.push(selection);
      into.set(selection.name.value, nodes);
    } else if (selection.name.value === path[0]) {
      collectAt(info, selection.selectionSet, path.slice(1), into);
    }
  }
}

/**
 * Every column name that any rule of the viewer's ability puts in a condition, at any depth (a rule on
 * a payment naming `order: { is: { merchantId } }` makes the order's merchantId needed too).
 */
function conditionColumns(ctx: GraphQLContext): Set<string> {
  const names = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object' || value instanceof Date) return;
    for (const [key, nested] of Object.entries(value as Row)) {
      names.add(key);
      walk(nested);
    }
  };
  for (const rule of ctx.ability.rules) walk(rule.conditions);
  return names;
}
