import type { JobTask } from '../../jobs/job-context.ts';
import { SUBMIT_TASK } from './payouts.context.ts';
import { submitPayout } from './operations/submit-payout.ts';

/** Background tasks of payouts (platform.ts hands them to the worker). The janitor lives in modules/recovery/janitor.tasks.ts. */

const submitTask: JobTask = async (payload, ctx) => {
  const { payoutId } = payload as { payoutId: string };
  const result = await submitPayout(ctx, payoutId);
  ctx.log.debug({ payoutId, result }, 'payout submit job');
};

export const payoutTasks: Record<string, JobTask> = {
  [SUBMIT_TASK]: submitTask,
};
