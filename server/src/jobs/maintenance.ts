import type { CronItem } from 'graphile-worker';
import type { JobTask } from './job-context.ts';

/** Drops request nonces whose replay window has passed. */
const purgeNonces: JobTask = async (_payload, ctx) => {
  const { count } = await ctx.prisma.apiNonce.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  if (count > 0) ctx.log.debug({ count }, 'purged expired request nonces');
};

export const maintenanceTasks: Record<string, JobTask> = {
  'maintenance:purge-nonces': purgeNonces,
};

export const maintenanceCron: CronItem[] = [
  { task: 'maintenance:purge-nonces', match: '*/5 * * * *', identifier: 'purge-nonces' },
];
