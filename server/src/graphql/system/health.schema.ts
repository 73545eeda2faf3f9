import { operationsHealth, type HealthShape, type PlatformShape } from '../../modules/health/operations-health.ts';
import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';

/** What needs attention now (seed 004 dashboard "system health status"): modules/health/operations-health.ts. */

const PlatformHealthRef = builder.objectRef<PlatformShape>('PlatformHealth').implement({
  description: "The platform's own parts (staff only).",
  fields: (t) => ({
    database: t.exposeBoolean('database', { description: 'PostgreSQL answers.' }),
    redisConfigured: t.exposeBoolean('redisConfigured', { description: 'REDIS_URL is set (events and limits shared between replicas).' }),
    redis: t.exposeBoolean('redis', { nullable: true, description: 'Redis answers a PING within a second; null when not configured.' }),
    jobQueue: t.exposeBoolean('jobQueue', { description: 'The job queue could be read; when false the job counts below are 0 and mean nothing.' }),
    jobsReady: t.exposeInt('jobsReady', { description: 'Background jobs due now and not yet taken by a worker.' }),
    jobsOverdue: t.exposeInt('jobsOverdue', { description: 'Of those, due for more than a minute: no worker is keeping up (or none runs).' }),
    jobsFailed: t.exposeInt('jobsFailed', { description: 'Jobs that used up their attempts.' }),
  }),
});

const OperationsHealthRef = builder.objectRef<HealthShape>('OperationsHealth').implement({
  description: 'What needs attention now. Counts are over what the viewer may read; null where the viewer may not read that kind.',
  fields: (t) => ({
    checkedAt: t.field({ type: 'DateTime', resolve: (h) => h.checkedAt }),
    payoutsInReview: t.exposeInt('payoutsInReview', { nullable: true, description: 'Payouts held by a risk rule, waiting for finance.' }),
    payoutsStuck: t.exposeInt('payoutsStuck', { nullable: true, description: 'Payouts PROCESSING at the upstream longer than PAYOUT_RECONCILE_AFTER_SECONDS.' }),
    payinsStuck: t.exposeInt('payinsStuck', { nullable: true, description: 'Payins PROCESSING (payer submitted) longer than PAYIN_RECONCILE_AFTER_SECONDS, not expired.' }),
    callbacksRetrying: t.exposeInt('callbacksRetrying', { nullable: true, description: 'Callbacks that failed at least once and will be retried.' }),
    callbacksFailed24h: t.exposeInt('callbacksFailed24h', { nullable: true, description: 'Callbacks that gave up in the last 24 hours.' }),
    fundRequestsWaiting: t.exposeInt('fundRequestsWaiting', {
      nullable: true,
      description: 'Recharges, withdrawals and transfers (sent or received) waiting for a decision.',
    }),
    platform: t.field({ type: PlatformHealthRef, nullable: true, description: 'Staff only.', resolve: (h) => h.platform }),
  }),
});

builder.queryField('operationsHealth', (t) =>
  t.field({
    type: OperationsHealthRef,
    description: 'What needs attention now (dashboard). Optionally only these merchants, and only one book (test or live).',
    args: {
      merchantIds: t.arg.idList({ required: false }),
      test: t.arg.boolean({ required: false, description: 'Only test (true) or only live (false) payins, payouts, fund requests and their callbacks; both when absent.' }),
    },
    resolve: (_root, args, ctx) => operationsHealth(ctx, { merchantIds: parseIds('Merchant', 'merchantIds', args.merchantIds), test: args.test ?? undefined }),
  }),
);
