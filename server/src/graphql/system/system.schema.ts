import { builder } from '../builder.ts';

const Health = builder.objectRef<{ status: string; database: boolean; version: string }>('Health').implement({
  description: 'Whether the platform and its database answer.',
  fields: (t) => ({
    status: t.exposeString('status'),
    database: t.exposeBoolean('database'),
    version: t.exposeString('version'),
  }),
});

builder.queryField('health', (t) =>
  t.field({
    type: Health,
    resolve: async (_root, _args, ctx) => {
      const database = await ctx.prisma.$queryRaw`SELECT 1`.then(() => true, () => false);
      return { status: database ? 'ok' : 'degraded', database, version: PAYRAIL_VERSION };
    },
  }),
);

export const PAYRAIL_VERSION = '0.1.0';
