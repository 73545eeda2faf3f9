import type { CronItem } from 'graphile-worker';
import { sweepStuckDeliveries } from '../deliveries/deliveries.service.ts';
import { reconcilePayins } from '../payins/operations/reconcile-payins.ts';
import { reconcilePayouts } from '../payouts/operations/reconcile-payouts.ts';
import { reapplyUnappliedCallbacks } from '../routing/upstream-callbacks.ts';
import { submitJobKey } from '../payouts/payouts.context.ts';
import type { JanitorPayload, JobTask } from '../../jobs/job-context.ts';

/**
 * The stuck-state janitor (every minute, and at once when dead workers were found — jobs/heartbeat.ts),
 * recovery across the money modules:
 *  - upstream callbacks recorded (RECEIVED) but never applied because the process died are applied
 *    (modules/routing/upstream-callbacks.ts), before anything is re-queried;
 *  - payouts whose submission was cut short are queried at once, payouts and payins left PROCESSING
 *    are re-queried from their connectors and resolved (modules/payouts/operations/reconcile-payouts.ts,
 *    payins/operations/reconcile-payins.ts); payouts whose submit job was lost are re-submitted;
 *  - deliveries whose flush job was lost get it back (claims of dead workers are settled by the
 *    dead-worker sweep itself).
 * Several workers may run it: every step locks what it changes.
 */
const sweep: JobTask = async (payload, ctx) => {
  const { interrupted } = (payload ?? {}) as JanitorPayload;
  // Run because dead workers were found: a callback they recorded may be only seconds old. Applying is
  // idempotent and row-locked, so looking at younger ones only risks a DUPLICATE, never a double.
  const reapplyAfter = interrupted ? Math.min(2, ctx.config.UPSTREAM_CALLBACK_REAPPLY_AFTER_SECONDS) : ctx.config.UPSTREAM_CALLBACK_REAPPLY_AFTER_SECONDS;
  const submitPrefix = submitJobKey('');
  const interruptedSubmits = (interrupted ?? []).flatMap((job) => (job.key?.startsWith(submitPrefix) ? [job.key.slice(submitPrefix.length)] : []));
  const callbacks = await reapplyUnappliedCallbacks(ctx, { afterSeconds: reapplyAfter });
  const payouts = await reconcilePayouts(ctx, { interruptedSubmits });
  const payins = await reconcilePayins(ctx);
  const deliveries = await sweepStuckDeliveries(ctx.prisma);
  if (callbacks.reapplied + callbacks.errors + payouts.queried + payouts.resubmitted + payins.queried + deliveries > 0) {
    ctx.log.info({ callbacks, payouts, payins, deliveries }, 'janitor sweep');
  }
};

export const janitorTasks: Record<string, JobTask> = { 'janitor:sweep': sweep };

export const janitorCron: CronItem[] = [{ task: 'janitor:sweep', match: '* * * * *', identifier: 'janitor-sweep' }];
