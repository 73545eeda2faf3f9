import type { Originality } from '../../generated/prisma/enums.ts';
import { auditHook } from '../audit/audit-hook.ts';
import { actorOf, assertCan, requireViewer, type RequestContext } from '../auth/authorize.ts';
import { loadReadableMerchant, readableOrNotFound } from '../auth/readable.ts';
import { resendLatestNotification } from '../deliveries/deliveries.notify.ts';
import { testOutTradeNo, type ManualPayinStatus, type SimulatedOutcome } from '../payins/payins.back-office.ts';
import { createPayout } from './operations/create-payout.ts';
import { overridePayoutStatus, setPayoutOriginality } from './operations/manual-operations.ts';
import { approvePayout, rejectPayout, reversePayout } from './operations/review-payout.ts';
import { simulatePayoutCallback } from './operations/simulate-payout.ts';

/**
 * Back-office actions on payouts (seed 001 test payouts, finance review, seed 002 manual status change,
 * mark fraud, resend), on behalf of the viewer of `ctx`: load the payout (PAYOUT_NOT_FOUND unless
 * readable), check the ability on that row, run ONE operation of ./operations (one transaction with
 * its timeline event, ledger postings and audit row). Ids are database ids; notes arrive trimmed.
 */

/** The payout `id` when the viewer may read it, else PAYOUT_NOT_FOUND. */
export async function loadReadablePayout(ctx: RequestContext, id: string) {
  requireViewer(ctx);
  return readableOrNotFound(ctx, 'Payout', 'payout', await ctx.prisma.payout.findUnique({ where: { id } }));
}

export interface CreateTestPayoutInput {
  merchantId: string;
  /** Payout service code, e.g. THB_BANK_PAYOUT. */
  service: string;
  channelId: string | null;
  /** Decimal string in the service's currency. */
  amount: string;
  outTradeNo?: string | null;
  notifyUrl?: string | null;
  userId?: string | null;
  recipientName?: string | null;
  recipientAccount?: string | null;
  bankCode?: string | null;
  recipientPhone?: string | null;
  recipientIdNumber?: string | null;
  description?: string | null;
}

/** A test payout for a merchant (seed 001): recipient fields by service, limits, balance, risk rules. */
export async function createTestPayout(ctx: RequestContext, input: CreateTestPayoutInput) {
  const viewer = requireViewer(ctx);
  const merchant = await loadReadableMerchant(ctx, input.merchantId);
  assertCan(ctx, 'create', 'Payout', { merchantId: merchant.id });
  const service = await ctx.prisma.service.findUnique({ where: { code: input.service } });
  return createPayout(ctx, {
    merchantId: merchant.id,
    mchId: merchant.mchId,
    appDbId: null,
    test: true,
    defaultNotifyUrl: null,
    createdById: viewer.kind === 'user' ? viewer.userId : null,
    creationType: 'MANUAL',
    channelId: input.channelId,
    audit: auditHook(ctx, 'payout.create_test', 'Payout', { amount: input.amount, service: input.service }),
    params: {
      out_trade_no: input.outTradeNo ?? testOutTradeNo(),
      amount: input.amount,
      currency: service?.currencyCode ?? 'XXX',
      chain: service?.chain ?? null,
      service: input.service,
      notify_url: input.notifyUrl ?? undefined,
      user_id: input.userId ?? undefined,
      recipient_name: input.recipientName ?? undefined,
      recipient_account: input.recipientAccount ?? undefined,
      bank_code: input.bankCode ?? undefined,
      recipient_phone: input.recipientPhone ?? undefined,
      recipient_id_number: input.recipientIdNumber ?? undefined,
      description: input.description ?? undefined,
    },
  });
}

const DECISIONS = {
  approve: { action: 'review', run: approvePayout },
  reject: { action: 'review', run: rejectPayout },
  reverse: { action: 'override', run: reversePayout },
} as const;

export type PayoutDecision = keyof typeof DECISIONS;

/**
 * approve: finance sends a payout held in REVIEW upstream. reject: a payout in REVIEW or not yet sent
 * (funds released). reverse: a successful payout the bank returned (amount and fee go back).
 */
export async function decidePayout(ctx: RequestContext, decision: PayoutDecision, input: { id: string; note: string | null }) {
  const payout = await loadReadablePayout(ctx, input.id);
  const { action, run } = DECISIONS[decision];
  assertCan(ctx, action, 'Payout', payout);
  return run(ctx, { payoutId: payout.id, actor: actorOf(ctx), note: input.note });
}

/** Manual status change with a reason: PROCESSING → SUCCEEDED/FAILED, SUCCEEDED → REVERSED. */
export async function overridePayoutStatusById(ctx: RequestContext, input: { id: string; status: ManualPayinStatus; reason: string }) {
  const payout = await loadReadablePayout(ctx, input.id);
  assertCan(ctx, 'override', 'Payout', payout);
  return overridePayoutStatus(ctx, { payoutId: payout.id, actor: actorOf(ctx), reason: input.reason, status: input.status });
}

/** Marks a payout as fraud (or back to normal), with a reason. */
export async function setPayoutOriginalityById(ctx: RequestContext, input: { id: string; originality: Originality; reason: string }) {
  const payout = await loadReadablePayout(ctx, input.id);
  assertCan(ctx, 'markFraud', 'Payout', payout);
  return setPayoutOriginality(ctx, { payoutId: payout.id, actor: actorOf(ctx), reason: input.reason, originality: input.originality });
}

/** Test payouts only: the sandbox upstream reports success or failure (PROCESSING) or a reversal (SUCCEEDED). */
export async function simulatePayoutCallbackById(ctx: RequestContext, input: { id: string; outcome: SimulatedOutcome }) {
  const payout = await loadReadablePayout(ctx, input.id);
  assertCan(ctx, 'simulate', 'Payout', payout);
  if (input.outcome === 'reversal') assertCan(ctx, 'override', 'Payout', payout);
  const actor = actorOf(ctx);
  return simulatePayoutCallback(ctx, {
    payoutId: payout.id,
    outcome: input.outcome,
    actor: { type: actor.type, id: actor.id ?? null },
    audit: auditHook(ctx, 'payout.simulate_callback', 'Payout', { outcome: input.outcome.toUpperCase() }),
  });
}

/** Sends the merchant the callback of the payout's current status again. */
export async function resendPayoutNotification(ctx: RequestContext, input: { id: string }) {
  const payout = await loadReadablePayout(ctx, input.id);
  assertCan(ctx, 'resend', 'Payout', payout);
  return resendLatestNotification(ctx.prisma, { kind: 'payout', id: payout.id }, actorOf(ctx));
}
