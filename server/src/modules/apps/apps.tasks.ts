import type { CronItem } from 'graphile-worker';
import type { JobTask } from '../../jobs/job-context.ts';

/** Drops request nonces whose replay window has passed. */
const purgeNonces: JobTask = async (_payload, ctx) => {
  const { count } = await ctx.prisma.apiNonce.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  if (count > 0) ctx.log.debug({ count }, 'purged expired request nonces');
};

export const appTasks: Record<string, JobTask> = {
  'maintenance:purge-nonces': purgeNonces,
};

export const appCron: CronItem[] = [
  { task: 'maintenance:purge-nonces', match: '*/5 * * * *', identifier: 'purge-nonces' },
];
