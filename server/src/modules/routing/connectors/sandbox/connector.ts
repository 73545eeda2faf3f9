import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../../../db/prisma.ts';
import type { Channel } from '../../../../generated/prisma/client.ts';
import type { JobTask } from '../../../../jobs/job-context.ts';
import { enqueueJob } from '../../../../jobs/queue.ts';
import type { SecretBox } from '../../../../lib/crypto.ts';
import { DomainError } from '../../../../lib/errors.ts';
import { currencyDigits } from '../../../catalog/catalog.service.ts';
import type { Connector, SimulatedOutcome, SimulatedPayinTarget, SimulateOptions, SimulationScheduled, UpstreamPayment } from '../connector.ts';
import { openCredentials } from '../credentials.ts';
import { querySandboxPayout, simulateSandboxPayout, submitSandboxPayout } from './payouts.ts';
import { decodeCallback, encodeCallback, signCallback, toCreatedPayin, type SandboxEventName } from './transformers.ts';

/**
 * The built-in sandbox upstream. It behaves like a real provider seen from Payrail: it hands out
 * payment instructions (bank details, or a TRON address for crypto services), and when asked to
 * simulate a payment it sends a signed HTTP callback to `<publicUrl>/v1/upstream/<channel code>/callback`
 * after the channel's `settings.delayMs`, succeeding with probability `settings.successRate` unless the
 * outcome is given. Credentials: `{ "secret": "…" }` sealed on the channel (`apiSecret` is accepted too).
 *
 * The callback is built and signed when the simulation is scheduled (like a provider that signs an
 * event once and retries the same bytes); the job only POSTs it, reading the base URL at send time.
 * There is no timestamp freshness check: replays are harmless (event keys and txn ids are idempotent).
 */

export const SANDBOX_DELIVER_TASK = 'sandbox:deliver';

export interface SandboxSettings {
  /** Wait before the simulated upstream calls back (ms). */
  delayMs: number;
  /** Probability 0..1 that a payer submission ends in success. */
  successRate: number;
  bankName?: string;
  accountName?: string;
}

export function sandboxSettings(settings: unknown): SandboxSettings {
  const s = (settings && typeof settings === 'object' ? settings : {}) as Record<string, unknown>;
  const delayMs = typeof s.delayMs === 'number' && Number.isFinite(s.delayMs) ? Math.min(Math.max(0, s.delayMs), 3_600_000) : 3000;
  const successRate = typeof s.successRate === 'number' && Number.isFinite(s.successRate) ? Math.min(Math.max(0, s.successRate), 1) : 1;
  return {
    delayMs,
    successRate,
    ...(typeof s.bankName === 'string' ? { bankName: s.bankName } : {}),
    ...(typeof s.accountName === 'string' ? { accountName: s.accountName } : {}),
  };
}

/** The HMAC secret from the channel's credentials, or null (then nothing verifies and nothing is signed). */
export function sandboxSecret(secrets: SecretBox, channel: Pick<Channel, 'credentialsEnc'>): string | null {
  const credentials = openCredentials(secrets, channel);
  const secret = credentials?.secret ?? credentials?.apiSecret;
  return typeof secret === 'string' && secret !== '' ? secret : null;
}


export interface SandboxDeliverPayload {
  channel: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * Schedules a signed sandbox callback for an order, in the caller's transaction (job `sandbox:deliver`).
 * Throws CHANNEL_CREDENTIALS_MISSING when the channel has no secret to sign with.
 */
export async function simulateSandboxPayin(
  ctx: { db: Db; secrets: SecretBox },
  target: SimulatedPayinTarget,
  channel: Channel,
  opts: SimulateOptions = {},
): Promise<SimulationScheduled> {
  const secret = sandboxSecret(ctx.secrets, channel);
  if (!secret) {
    throw new DomainError('CHANNEL_CREDENTIALS_MISSING', `channel ${channel.code} has no credentials to sign sandbox callbacks with`, {
      channel: channel.code,
    });
  }
  const settings = sandboxSettings(channel.settings);
  const now = opts.now ?? new Date();
  const outcome: SimulatedOutcome = opts.outcome ?? ((opts.random ?? Math.random)() < settings.successRate ? 'success' : 'failure');
  let event: SandboxEventName;
  let transactions: UpstreamPayment[] = [];
  if (outcome === 'success') {
    const missing = target.amount - target.paidAmount;
    const amount = opts.amount ?? (missing > 0n ? missing : target.amount);
    if (amount <= 0n) throw new RangeError('a simulated payment must be positive');
    event = 'payment.succeeded';
    transactions = [{ txnId: `SBXT${randomBytes(8).toString('hex').toUpperCase()}`, amount, paidAt: now }];
  } else if (outcome === 'failure') {
    event = 'payment.failed';
  } else {
    event = 'payment.reversed';
    transactions = target.payments.map((p) => ({ txnId: p.txnId, amount: p.amount, paidAt: p.paidAt }));
  }
  const eventId = `evt_${randomUUID()}`;
  const digits = await currencyDigits(ctx.db, target.currency);
  const body = encodeCallback(
    {
      eventId,
      event,
      orderNo: target.orderNo,
      upstreamRef: target.upstreamRef,
      currency: target.currency,
      transactions,
      ...(outcome === 'failure' ? { reason: 'payer cancelled (simulated)' } : {}),
      createdAt: now,
    },
    digits,
  );
  const runAt = new Date(now.getTime() + (opts.delayMs ?? settings.delayMs));
  const payload: SandboxDeliverPayload = { channel: channel.code, body, headers: signCallback(secret, body, now) };
  await enqueueJob(ctx.db, SANDBOX_DELIVER_TASK, payload, { runAt, maxAttempts: 8 });
  return { outcome, eventId, runAt, payments: transactions };
}

/** Job: POST a prepared sandbox callback to `<config.publicUrl>/v1/upstream/<channel>/callback`; non-2xx retries. */
const sandboxDeliverTask: JobTask = async (payload, ctx) => {
  const p = payload as SandboxDeliverPayload;
  const url = `${ctx.config.publicUrl.replace(/\/+$/, '')}/v1/upstream/${encodeURIComponent(p.channel)}/callback`;
  const response = await fetch(url, { method: 'POST', headers: p.headers, body: p.body, signal: AbortSignal.timeout(10_000) });
  const text = await response.text().catch(() => '');
  if (!response.ok) throw new Error(`sandbox callback to ${url} answered ${response.status}: ${text.slice(0, 200)}`);
  ctx.log.debug({ channel: p.channel, status: response.status }, 'sandbox callback delivered');
};


export const sandboxConnector: Connector = {
  kind: 'sandbox',
  local: true,

  async createPayin(_ctx, order, channel) {
    const settings = sandboxSettings(channel.settings);
    return toCreatedPayin(order, channel, settings);
  },

  async queryPayin(ctx, order, channel) {
    const payments = await ctx.db.payment.findMany({
      where: { channelId: channel.id, order: { orderNo: order.orderNo } },
      select: { txnId: true, amount: true, paidAt: true, status: true },
    });
    const received = payments.filter((p) => p.status === 'SUCCEEDED');
    const total = received.reduce((sum, p) => sum + p.amount, 0n);
    const status = payments.some((p) => p.status === 'REVERSED') ? 'REVERSED' : total >= order.amount ? 'PAID' : 'PENDING';
    return { status, payments: received.map(({ txnId, amount, paidAt }) => ({ txnId, amount, paidAt })) };
  },

  async parseCallback(ctx, rawBody, headers, channel) {
    let secret: string | null;
    try {
      secret = sandboxSecret(ctx.secrets, channel);
    } catch {
      secret = null; // credentials that do not open verify nothing
    }
    return decodeCallback(rawBody, headers, secret, await currencyDigits(ctx.db, channel.currencyCode));
  },

  async submitPayout(ctx, payout, channel) {
    let secret: string | null;
    try {
      secret = sandboxSecret(ctx.secrets, channel);
    } catch {
      secret = null;
    }
    return submitSandboxPayout(ctx, payout, channel, secret);
  },

  async queryPayout(_ctx, payout, channel) {
    return querySandboxPayout(payout, channel);
  },

  tasks: { [SANDBOX_DELIVER_TASK]: sandboxDeliverTask },

  simulator: {
    payin: (ctx, target, channel, opts) => simulateSandboxPayin(ctx, target, channel, opts),
    payout: (ctx, target, channel, outcome, delayMs) => simulateSandboxPayout(ctx, target, channel, sandboxSecret(ctx.secrets, channel), outcome, delayMs),
  },
};
