import type { CronItem } from 'graphile-worker';
import { sweepStuckDeliveries } from '../modules/deliveries/deliveries.service.ts';
import { reconcilePayins } from '../modules/orders/operations/reconcile-payins.ts';
import { reconcilePayouts } from '../modules/payouts/operations/reconcile-payouts.ts';
import type { JobTask } from './worker.ts';

/**
 * The stuck-state janitor (every minute): payouts and payins left PROCESSING are re-queried from their
 * connectors and resolved (modules/payouts/operations/reconcile-payouts.ts, orders/operations/
 * reconcile-payins.ts); payouts whose submit job was lost are re-submitted; deliveries left PENDING by
 * a dead worker get their flush back. Several workers may run it: every step locks what it changes.
 */
const sweep: JobTask = async (_payload, ctx) => {
  const payouts = await reconcilePayouts(ctx);
  const payins = await reconcilePayins(ctx);
  const deliveries = await sweepStuckDeliveries(ctx.prisma);
  if (payouts.queried + payouts.resubmitted + payins.queried + deliveries > 0) {
    ctx.log.info({ payouts, payins, deliveries }, 'janitor sweep');
  }
};

export const janitorTasks: Record<string, JobTask> = { 'janitor:sweep': sweep };

export const janitorCron: CronItem[] = [{ task: 'janitor:sweep', match: '* * * * *', identifier: 'janitor-sweep' }];
