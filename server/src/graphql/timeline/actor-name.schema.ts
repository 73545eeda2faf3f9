import { createContextCache } from '@pothos/core';
import { accessibleWhere } from '../../modules/auth/ability.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { PayinEventRef } from '../payins/payins.schema.ts';
import { PayoutEventRef } from '../payouts/payouts.schema.ts';

/**
 * Who did a timeline step, as people know them (issue 15 defect 5: "Staff · 01a250cf-…"): a staff
 * member's name, a merchant app's name, an API token's name. Named only to viewers who may read that
 * user, app or token (the same CASL read filter as their own lists, in the query); anyone else gets
 * null and the app shows the actor type ("Staff"). System and upstream steps have no name here (the
 * app names the transaction's channel). Every actor asked for while one response resolves joins one
 * batch per kind, loaded on the next turn of the event loop: a timeline costs at most three queries.
 */

type ActorKind = 'USER' | 'APP' | 'API_TOKEN';

interface Batch {
  ids: Set<string>;
  started: boolean;
  loaded: Promise<Map<string, string>>;
}

const batches = createContextCache((_ctx: GraphQLContext) => new Map<ActorKind, Batch>());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The names of the actors of one kind the viewer may read, by id. */
async function loadNames(ctx: GraphQLContext, kind: ActorKind, ids: string[]): Promise<Map<string, string>> {
  if (kind === 'USER') {
    const rows = await ctx.prisma.user.findMany({ where: { AND: [{ id: { in: ids } }, accessibleWhere(ctx.ability, 'read', 'User')] } as never, select: { id: true, name: true, email: true } });
    return new Map(rows.map((u) => [u.id, u.name.trim() || u.email]));
  }
  if (kind === 'APP') {
    const rows = await ctx.prisma.app.findMany({ where: { AND: [{ id: { in: ids } }, accessibleWhere(ctx.ability, 'read', 'App')] } as never, select: { id: true, name: true } });
    return new Map(rows.map((a) => [a.id, a.name]));
  }
  const rows = await ctx.prisma.apiToken.findMany({ where: { AND: [{ id: { in: ids } }, accessibleWhere(ctx.ability, 'read', 'ApiToken')] } as never, select: { id: true, name: true } });
  return new Map(rows.map((t) => [t.id, t.name]));
}

function actorName(ctx: GraphQLContext, actorType: string, actorId: string | null): Promise<string | null> | null {
  if (!actorId || !UUID.test(actorId) || (actorType !== 'USER' && actorType !== 'APP' && actorType !== 'API_TOKEN')) return null;
  const kind: ActorKind = actorType;
  const byKind = batches(ctx);
  let batch = byKind.get(kind);
  if (!batch || (batch.started && !batch.ids.has(actorId))) {
    const ids = new Set<string>();
    const fresh: Batch = {
      ids,
      started: false,
      loaded: new Promise((resolve, reject) => {
        setImmediate(() => {
          fresh.started = true;
          loadNames(ctx, kind, [...ids]).then(resolve, reject);
        });
      }),
    };
    byKind.set(kind, fresh);
    batch = fresh;
  }
  batch.ids.add(actorId);
  return batch.loaded.then((names) => names.get(actorId) ?? null);
}

const description = 'Who did this step, by name (a staff member, merchant app or API token), when the viewer may read them; null otherwise and for system or upstream steps.';

builder.prismaObjectField(PayinEventRef, 'actorName', (t) =>
  t.string({ nullable: true, description, select: { actorType: true, actorId: true }, resolve: (event, _args, ctx) => actorName(ctx, event.actorType, event.actorId) }),
);

builder.prismaObjectField(PayoutEventRef, 'actorName', (t) =>
  t.string({ nullable: true, description, select: { actorType: true, actorId: true }, resolve: (event, _args, ctx) => actorName(ctx, event.actorType, event.actorId) }),
);
