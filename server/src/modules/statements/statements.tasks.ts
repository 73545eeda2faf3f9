import type { CronItem } from 'graphile-worker';
import type { JobTask } from '../../jobs/job-context.ts';
import { catchUpDailyStatements } from './statements.service.ts';

/**
 * Daily statements job (platform.ts hands it to the worker). Every 15 minutes it builds
 * the days that ended (+ the settle margin) in each merchant's own time zone and any days missed while
 * no worker ran; with nothing to build it costs an index probe per merchant account. Running more
 * often than hourly keeps half- and quarter-hour zones (Asia/Kolkata, Asia/Kathmandu) close to their
 * midnight too. The cron identifier keeps one run per slot across workers.
 */

export const STATEMENTS_BUILD_TASK = 'statements:build';

const buildTask: JobTask = async (_payload, ctx) => {
  const result = await catchUpDailyStatements(ctx.prisma);
  if (result.rows > 0) ctx.log.info(result, 'built daily statements');
};

export const statementTasks: Record<string, JobTask> = {
  [STATEMENTS_BUILD_TASK]: buildTask,
};

export const statementCron: CronItem[] = [{ task: STATEMENTS_BUILD_TASK, match: '*/15 * * * *', identifier: 'statements-build' }];
