import type { CronItem } from 'graphile-worker';
import type { JobTask } from '../../jobs/job-context.ts';
import { EXPORT_TASK, purgeExpiredExports, runExport } from './exports.service.ts';

const run: JobTask = async (payload, ctx) => {
  await runExport(ctx, (payload as { exportId: string }).exportId);
};

const purge: JobTask = async (_payload, ctx) => {
  const count = await purgeExpiredExports(ctx.prisma);
  if (count > 0) ctx.log.info({ count }, 'dropped expired export files');
};

export const exportTasks: Record<string, JobTask> = { [EXPORT_TASK]: run, 'exports:purge': purge };
export const exportCron: CronItem[] = [{ task: 'exports:purge', match: '17 * * * *', identifier: 'exports-purge' }];
