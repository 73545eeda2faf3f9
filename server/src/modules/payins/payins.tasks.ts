import type { CronItem } from 'graphile-worker';
import type { JobTask } from '../../jobs/job-context.ts';
import { expirePayins } from './operations/expire-payins.ts';
import { releaseDueSettlements } from './operations/release-settlements.ts';

/** Background tasks of payins (platform.ts hands them to the worker). */

const expireTask: JobTask = async (_payload, ctx) => {
  const { expired } = await expirePayins(ctx);
  if (expired > 0) ctx.log.info({ expired }, 'expired payins');
};

const releaseTask: JobTask = async (_payload, ctx) => {
  const { released } = await releaseDueSettlements(ctx);
  if (released > 0) ctx.log.info({ released }, 'released T+N settlements');
};

export const payinTasks: Record<string, JobTask> = {
  'orders:expire': expireTask,
  'settlements:release': releaseTask,
};

export const payinCron: CronItem[] = [
  { task: 'orders:expire', match: '* * * * *', identifier: 'orders-expire' },
  { task: 'settlements:release', match: '*/5 * * * *', identifier: 'settlements-release' },
];
