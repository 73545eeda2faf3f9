import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { MODEL_NAMES, type ModelName } from '../../modules/auth/ability.ts';
import { forbidden } from '../../modules/auth/authorize.ts';
import type { GraphQLContext } from '../context.ts';
import { canReadRow, guard, guardAll, type ParentRow } from './access.ts';

/**
 * Every object the schema hands out through a relation is checked against the viewer's ability, not
 * only the rows of root lists and `node()`: a field of any object type whose type is a model (`Payin`,
 * `Merchant`, `[Channel]` …) returns only the rows the viewer may read. A nullable to-one field gives
 * null for a row the viewer may not read; a list drops it; a non-null to-one field fails with
 * FORBIDDEN (so a relation that may legitimately point at a foreign row must be declared nullable).
 *
 * Applied once to the built schema, so a relation added tomorrow is guarded without anyone
 * remembering to (test/authorization-walk.test.ts walks the schema to prove it). Root fields (Query,
 * Mutation, Subscription) are not wrapped: they scope their rows in SQL themselves.
 */

/**
 * GraphQL types named otherwise than the model (and CASL subject) they present: the API says payin
 * where the database and the permissions still say order.
 */
const MODEL_OF_TYPE: Readonly<Record<string, ModelName>> = { Payin: 'Order', PayinEvent: 'OrderEvent' };
const TYPE_OF_MODEL: Readonly<Partial<Record<ModelName, string>>> = Object.fromEntries(Object.entries(MODEL_OF_TYPE).map(([t, m]) => [m, t]));

/** The model a GraphQL object type presents, or undefined when it is not a model. */
export function modelOfType(typeName: string): ModelName | undefined {
  return MODEL_OF_TYPE[typeName] ?? (MODELS.has(typeName) ? (typeName as ModelName) : undefined);
}

/** The GraphQL object type that presents a model. */
export function typeOfModel(model: ModelName): string {
  return TYPE_OF_MODEL[model] ?? model;
}

const MODELS: ReadonlySet<string> = new Set(MODEL_NAMES);

const refused = (model: ModelName, where: string) => forbidden(`not allowed to read this ${model} (${where})`, { subject: model });

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

export function guardRelations(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((t) => t!.name));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || roots.has(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      const model = modelOfType(getNamedType(field.type).name);
      if (!model) continue;
      const inner = getNullableType(field.type);
      const list = isListType(inner);
      const required = isNonNullType(field.type);
      const resolve: GraphQLFieldResolver<unknown, GraphQLContext> = field.resolve ?? defaultFieldResolver;
      const where = `${type.name}.${field.name}`;
      const parentModel = modelOfType(type.name);
      /** The resolved value, checked; synchronous when the ability decides it in memory. */
      const check = (value: unknown, parent: unknown, ctx: GraphQLContext): unknown => {
        if (value === null || value === undefined) return value;
        // The parent row decides conditions through the relation back to it without a query.
        const from: ParentRow | undefined = parentModel && parent && typeof parent === 'object' ? { model: parentModel, row: parent as Record<string, unknown> } : undefined;
        if (list) return guardAll(ctx, model, value as Array<{ id: unknown }>, from);
        if (!required) return guard(ctx, model, value as { id: unknown }, from);
        const readable = canReadRow(ctx, model, value as { id: unknown }, from);
        if (typeof readable !== 'boolean') {
          return readable.then((ok) => {
            if (!ok) throw refused(model, where);
            return value;
          });
        }
        if (!readable) throw refused(model, where);
        return value;
      };
      field.resolve = (parent, args, ctx, info) => {
        const value = resolve(parent, args, ctx, info);
        return isPromiseLike(value) ? Promise.resolve(value).then((v) => check(v, parent, ctx)) : check(value, parent, ctx);
      };
    }
  }
  return schema;
}
