import { accessibleWhere, type ModelName } from '../auth/ability.ts';
import { requireViewer, type RequestContext } from '../auth/authorize.ts';
import { redisClient } from '../../lib/redis-clients.ts';

/**
 * What needs attention now (seed 004 dashboard "system health status"): work waiting for people
 * (payouts in review, fund requests to decide), work the platform is retrying (callbacks), and
 * transactions stuck at an upstream past the janitor's timeout. Every count is over the rows the
 * viewer may read (optionally only some merchants, one book); a count of a kind the viewer may not
 * read is null, not 0. The platform's own parts (database, Redis, job queue) are for staff only.
 */

export interface HealthShape {
  checkedAt: Date;
  payoutsInReview: number | null;
  payoutsStuck: number | null;
  payinsStuck: number | null;
  callbacksRetrying: number | null;
  callbacksFailed24h: number | null;
  fundRequestsWaiting: number | null;
  platform: PlatformShape | null;
}

export interface PlatformShape {
  database: boolean;
  redisConfigured: boolean;
  redis: boolean | null;
  jobQueue: boolean;
  jobsReady: number;
  jobsOverdue: number;
  jobsFailed: number;
}

export async function operationsHealth(ctx: RequestContext, input: { merchantIds: string[] | undefined; test: boolean | undefined }): Promise<HealthShape> {
  const viewer = requireViewer(ctx);
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const test = input.test;
  // A callback belongs to the book of its payin, payout or fund request.
  const book = (model: 'Order' | 'Payout' | 'Delivery' | 'FundRequest'): Record<string, unknown> =>
    test === undefined ? {} : model === 'Delivery' ? { OR: [{ order: { test } }, { payout: { test } }, { fundRequest: { test } }] } : { test };
  const count = <M extends 'Order' | 'Payout' | 'Delivery' | 'FundRequest'>(model: M, where: Record<string, unknown>) =>
    countReadable(ctx, model, input.merchantIds, { AND: [where, book(model)] });
  const [payoutsInReview, payoutsStuck, payinsStuck, callbacksRetrying, callbacksFailed24h, fundRequestsWaiting, platform] = await Promise.all([
    count('Payout', { status: 'REVIEW' }),
    count('Payout', { status: 'PROCESSING', submittedAt: { lte: ago(ctx.config.PAYOUT_RECONCILE_AFTER_SECONDS * 1000) } }),
    count('Order', { status: 'PROCESSING', updatedAt: { lte: ago(ctx.config.PAYIN_RECONCILE_AFTER_SECONDS * 1000) }, expireAt: { gt: now } }),
    count('Delivery', { status: 'PENDING', attemptCount: { gt: 0 } }),
    count('Delivery', { status: 'FAILED', lastAttemptAt: { gte: ago(86_400_000) } }),
    count('FundRequest', { status: 'NEW' }),
    viewer.kind === 'user' && viewer.global ? platformHealth(ctx) : Promise.resolve(null),
  ]);
  return { checkedAt: now, payoutsInReview, payoutsStuck, payinsStuck, callbacksRetrying, callbacksFailed24h, fundRequestsWaiting, platform };
}

async function countReadable(ctx: RequestContext, model: ModelName & ('Order' | 'Payout' | 'Delivery' | 'FundRequest'), merchantIds: string[] | undefined, where: Record<string, unknown>): Promise<number | null> {
  if (!ctx.ability.can('read', model)) return null;
  // A transfer concerns both merchants: the one that sends and the one that receives.
  const ofMerchants = model === 'FundRequest' ? { OR: [{ merchantId: { in: merchantIds } }, { targetMerchantId: { in: merchantIds } }] } : { merchantId: { in: merchantIds } };
  const and = [accessibleWhere(ctx.ability, 'read', model), where, ...(merchantIds ? [ofMerchants] : [])];
  const delegate = {
    Order: ctx.prisma.order,
    Payout: ctx.prisma.payout,
    Delivery: ctx.prisma.delivery,
    FundRequest: ctx.prisma.fundRequest,
  }[model] as unknown as { count(args: { where: Record<string, unknown> }): Promise<number> };
  return delegate.count({ where: { AND: and } });
}

async function platformHealth(ctx: RequestContext): Promise<PlatformShape> {
  const database = await ctx.prisma.$queryRaw`SELECT 1`.then(() => true, () => false);
  const redisUrl = ctx.config.REDIS_URL;
  const redis = redisUrl ? await pingRedis(redisUrl) : null;
  // A queue that cannot be read is reported as such (jobQueue false), never as an empty one.
  const [jobs] = database
    ? await ctx.prisma.$queryRaw<{ ready: bigint; overdue: bigint; failed: bigint }[]>`
        SELECT count(*) FILTER (WHERE run_at <= now() AND locked_at IS NULL AND attempts < max_attempts) AS ready,
               count(*) FILTER (WHERE run_at <= now() - interval '1 minute' AND locked_at IS NULL AND attempts < max_attempts) AS overdue,
               count(*) FILTER (WHERE attempts >= max_attempts) AS failed
          FROM graphile_worker.jobs`.catch((error: unknown) => {
          ctx.log.warn({ err: error }, 'job queue could not be read for operationsHealth');
          return [undefined];
        })
    : [undefined];
  return {
    database,
    redisConfigured: Boolean(redisUrl),
    redis,
    jobQueue: jobs !== undefined,
    jobsReady: Number(jobs?.ready ?? 0n),
    jobsOverdue: Number(jobs?.overdue ?? 0n),
    jobsFailed: Number(jobs?.failed ?? 0n),
  };
}

async function pingRedis(url: string): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref());
  return Promise.race([redisClient(url).ping().then((answer) => answer === 'PONG', () => false), timeout]);
}
