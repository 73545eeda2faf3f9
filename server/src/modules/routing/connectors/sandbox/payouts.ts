import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../../../db/prisma.ts';
import type { Channel } from '../../../../generated/prisma/client.ts';
import { enqueueJob } from '../../../../jobs/queue.ts';
import type { SecretBox } from '../../../../lib/crypto.ts';
import { DomainError } from '../../../../lib/errors.ts';
import type { ConnectorContext, PayoutRequest, SimulatedOutcome, SubmittedPayout, UpstreamPayoutState } from '../connector.ts';
import { encodeCallback, signCallback, type SandboxPayoutEvent } from './transformers.ts';

/**
 * Payouts at the sandbox upstream. The sandbox keeps no state of its own: what happens to a payout is
 * a pure function of the payout number, the recipient and the channel's settings, so `queryPayout`
 * answers the same thing the callback said (like a real provider's status API).
 *
 * Settings (Channel.settings): `delayMs` (default 3000) until the result, `payoutSuccessRate` 0..1
 * (default 1; drawn from a hash of the payout number, so a payout's fate never changes),
 * `payoutCallbacks` (default true; false = the sandbox never calls back and only answers queries,
 * which is how the janitor is exercised).
 *
 * Magic recipient names (case-insensitive), like a card processor's test cards:
 *   "SANDBOX REFUSE"  refused at submission (nothing sent)       → FAILED at once
 *   "SANDBOX FAIL"    accepted, the bank rejects it later        → FAILED after delayMs
 *   "SANDBOX STUCK"   sent to the bank and never resolved        → PROCESSING forever
 *   "SANDBOX TIMEOUT" the submission never arrives (we time out) → NOT_FOUND when queried
 */

export type SandboxPayoutFate = 'SUCCEEDED' | 'FAILED' | 'REFUSE' | 'STUCK' | 'TIMEOUT';

export interface SandboxPayoutSettings {
  delayMs: number;
  payoutSuccessRate: number;
  payoutCallbacks: boolean;
}

export function sandboxPayoutSettings(settings: unknown): SandboxPayoutSettings {
  const s = (settings && typeof settings === 'object' ? settings : {}) as Record<string, unknown>;
  const delayMs = typeof s.delayMs === 'number' && Number.isFinite(s.delayMs) ? Math.min(Math.max(0, s.delayMs), 3_600_000) : 3000;
  const rate = typeof s.payoutSuccessRate === 'number' && Number.isFinite(s.payoutSuccessRate) ? Math.min(Math.max(0, s.payoutSuccessRate), 1) : 1;
  return { delayMs, payoutSuccessRate: rate, payoutCallbacks: s.payoutCallbacks !== false };
}

export function sandboxPayoutFate(payout: Pick<PayoutRequest, 'payoutNo' | 'recipient'>, settings: SandboxPayoutSettings): SandboxPayoutFate {
  const name = (payout.recipient.name ?? '').trim().toUpperCase();
  if (name === 'SANDBOX REFUSE') return 'REFUSE';
  if (name === 'SANDBOX FAIL') return 'FAILED';
  if (name === 'SANDBOX STUCK') return 'STUCK';
  if (name === 'SANDBOX TIMEOUT') return 'TIMEOUT';
  // A uniform draw in [0, 1) from the payout number: 32 bits of its hash over 2^32.
  const draw = createHash('sha256').update(payout.payoutNo).digest().readUInt32BE(0) / 2 ** 32;
  return draw < settings.payoutSuccessRate ? 'SUCCEEDED' : 'FAILED';
}

export function sandboxPayoutRef(channelId: string, payoutNo: string): string {
  return `SBXP${createHash('sha256').update(`${channelId}:${payoutNo}`).digest('hex').slice(0, 20).toUpperCase()}`;
}

export async function submitSandboxPayout(ctx: ConnectorContext, payout: PayoutRequest, channel: Channel, secret: string | null): Promise<SubmittedPayout> {
  const settings = sandboxPayoutSettings(channel.settings);
  const upstreamRef = sandboxPayoutRef(channel.id, payout.payoutNo);
  const fate = sandboxPayoutFate(payout, settings);
  if (fate === 'TIMEOUT') throw new Error('sandbox: the payout submission timed out (simulated)');
  if (fate === 'REFUSE') return { upstreamRef, status: 'FAILED', reason: 'recipient account rejected by the upstream (simulated)' };
  if (!secret) return { upstreamRef, status: 'FAILED', reason: `channel ${channel.code} has no credentials` };
  if (settings.payoutCallbacks && fate !== 'STUCK') {
    await schedulePayoutEvent(ctx, secret, channel, {
      payoutNo: payout.payoutNo,
      upstreamRef,
      currency: payout.currency,
      digits: payout.digits,
      event: fate === 'SUCCEEDED' ? 'payout.succeeded' : 'payout.failed',
      delayMs: settings.delayMs,
      ...(fate === 'FAILED' ? { reason: 'the beneficiary bank rejected the transfer (simulated)' } : {}),
    });
  }
  return { upstreamRef, status: 'PROCESSING' };
}

export async function querySandboxPayout(
  payout: PayoutRequest & { upstreamRef: string | null; submittedAt: Date | null },
  channel: Channel,
  now = new Date(),
): Promise<UpstreamPayoutState> {
  const settings = sandboxPayoutSettings(channel.settings);
  const fate = sandboxPayoutFate(payout, settings);
  const upstreamRef = sandboxPayoutRef(channel.id, payout.payoutNo);
  if (fate === 'TIMEOUT' || payout.submittedAt === null) return { status: 'NOT_FOUND' };
  if (fate === 'REFUSE') return { status: 'FAILED', upstreamRef, reason: 'recipient account rejected by the upstream (simulated)' };
  if (fate === 'STUCK') return { status: 'PROCESSING', upstreamRef, stage: 'sent to bank' };
  if (now.getTime() < payout.submittedAt.getTime() + settings.delayMs) return { status: 'PROCESSING', upstreamRef, stage: 'sent to bank' };
  return fate === 'SUCCEEDED'
    ? { status: 'SUCCEEDED', upstreamRef }
    : { status: 'FAILED', upstreamRef, reason: 'the beneficiary bank rejected the transfer (simulated)' };
}

interface PayoutEventInput {
  payoutNo: string;
  upstreamRef: string | null;
  currency: string;
  digits: number;
  event: SandboxPayoutEvent;
  delayMs: number;
  reason?: string;
}

async function schedulePayoutEvent(ctx: { db: Db }, secret: string, channel: Channel, input: PayoutEventInput): Promise<{ eventId: string; runAt: Date }> {
  const now = new Date();
  const eventId = `evt_${randomUUID()}`;
  const body = encodeCallback(
    {
      eventId,
      event: input.event,
      orderNo: input.payoutNo,
      upstreamRef: input.upstreamRef,
      currency: input.currency,
      transactions: [],
      ...(input.reason ? { reason: input.reason } : {}),
      createdAt: now,
    },
    input.digits,
  );
  const runAt = new Date(now.getTime() + input.delayMs);
  await enqueueJob(ctx.db, 'sandbox:deliver', { channel: channel.code, body, headers: signCallback(secret, body, now) }, { runAt, maxAttempts: 8 });
  return { eventId, runAt };
}

/**
 * Back office "simulate callback" for a test payout on a sandbox channel: schedules a signed upstream
 * event with the given outcome, in the caller's transaction.
 */
export async function simulateSandboxPayout(
  ctx: { db: Db; secrets: SecretBox },
  target: { payoutNo: string; upstreamRef: string | null; currency: string; digits: number },
  channel: Channel,
  secret: string | null,
  outcome: SimulatedOutcome,
  delayMs?: number,
): Promise<{ eventId: string; runAt: Date }> {
  if (!secret) {
    throw new DomainError('CHANNEL_CREDENTIALS_MISSING', `channel ${channel.code} has no credentials to sign sandbox callbacks with`, {
      channel: channel.code,
    });
  }
  const event: SandboxPayoutEvent = outcome === 'success' ? 'payout.succeeded' : outcome === 'failure' ? 'payout.failed' : 'payout.reversed';
  return schedulePayoutEvent(ctx, secret, channel, {
    ...target,
    event,
    delayMs: delayMs ?? sandboxPayoutSettings(channel.settings).delayMs,
    ...(outcome === 'failure' ? { reason: 'failure simulated from the back office' } : {}),
    ...(outcome === 'reversal' ? { reason: 'reversal simulated from the back office' } : {}),
  });
}
