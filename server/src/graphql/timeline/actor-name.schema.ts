import { accessibleWhere } from '../../modules/auth/ability.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { PayinEventRef } from '../payins/payins.schema.ts';
import { PayoutEventRef } from '../payouts/payouts.schema.ts';
import { batchedName } from './name-batch.ts';

/**
 * Who did a timeline step, as people know them (issue 15 defect 5: "Staff · 01a250cf-…"): a staff
 * member's name, a merchant app's name, an API token's name. Named only to viewers who may read that
 * user, app or token (the same CASL read filter as their own lists, in the query); anyone else gets
 * null and the app shows the actor type ("Staff"). System and upstream steps have no name here (the
 * app names the transaction's channel). Batched per actor kind (name-batch.ts): a timeline costs at
 * most three queries.
 */

const LOADERS: Record<string, (ctx: GraphQLContext, ids: string[]) => Promise<Map<string, string>>> = {
  async USER(ctx, ids) {
    const rows = await ctx.prisma.user.findMany({ where: { AND: [{ id: { in: ids } }, accessibleWhere(ctx.ability, 'read', 'User')] } as never, select: { id: true, name: true, email: true } });
    return new Map(rows.map((u) => [u.id, u.name.trim() || u.email]));
  },
  async APP(ctx, ids) {
    const rows = await ctx.prisma.app.findMany({ where: { AND: [{ id: { in: ids } }, accessibleWhere(ctx.ability, 'read', 'App')] } as never, select: { id: true, name: true } });
    return new Map(rows.map((a) => [a.id, a.name]));
  },
  async API_TOKEN(ctx, ids) {
    const rows = await ctx.prisma.apiToken.findMany({ where: { AND: [{ id: { in: ids } }, accessibleWhere(ctx.ability, 'read', 'ApiToken')] } as never, select: { id: true, name: true } });
    return new Map(rows.map((t) => [t.id, t.name]));
  },
};

function actorName(ctx: GraphQLContext, actorType: string, actorId: string | null): Promise<string | null> | null {
  const load = LOADERS[actorType];
  return load ? batchedName(ctx, `actor:${actorType}`, actorId, load) : null;
}

const description = 'Who did this step, by name (a staff member, merchant app or API token), when the viewer may read them; null otherwise and for system or upstream steps.';

builder.prismaObjectField(PayinEventRef, 'actorName', (t) =>
  t.string({ nullable: true, description, select: { actorType: true, actorId: true }, resolve: (event, _args, ctx) => actorName(ctx, event.actorType, event.actorId) }),
);

builder.prismaObjectField(PayoutEventRef, 'actorName', (t) =>
  t.string({ nullable: true, description, select: { actorType: true, actorId: true }, resolve: (event, _args, ctx) => actorName(ctx, event.actorType, event.actorId) }),
);
