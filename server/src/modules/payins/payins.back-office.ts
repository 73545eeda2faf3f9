import type { Originality } from '../../generated/prisma/enums.ts';
import { parseAmount } from '../../lib/money.ts';
import { auditHook } from '../audit/audit-hook.ts';
import { actorOf, assertCan, requireViewer, type RequestContext } from '../auth/authorize.ts';
import { loadReadableMerchant, readableOrNotFound } from '../auth/readable.ts';
import { currencyDigits } from '../catalog/catalog.service.ts';
import { resendLatestNotification } from '../deliveries/deliveries.notify.ts';
import { closePayin } from './operations/close-payin.ts';
import { createPayin } from './operations/create-payin.ts';
import { overridePayinStatus, setPayinOriginality } from './operations/manual-operations.ts';
import { simulateCallback } from './operations/simulate-callback.ts';
import { paymentUrl } from './payins.presenter.ts';

/**
 * Back-office actions on payins (seed 000 "simulate callback", seed 001 test deposits, seed 002
 * manual status change / mark fraud / resend), on behalf of the viewer of `ctx`. Each one loads the
 * payin (ORDER_NOT_FOUND unless the viewer may read it), checks the ability on that row (FORBIDDEN),
 * then runs ONE operation of ./operations, which writes status, timeline and audit row in one
 * transaction. Ids are database ids; reasons arrive trimmed (the adapter parses them).
 */

export type ManualPayinStatus = 'SUCCEEDED' | 'FAILED' | 'REVERSED';
export type SimulatedOutcome = 'success' | 'failure' | 'reversal';

/** The payin `id` when the viewer may read it, else ORDER_NOT_FOUND. */
export async function loadReadablePayin(ctx: RequestContext, id: string) {
  requireViewer(ctx);
  return readableOrNotFound(ctx, 'Order', 'order', await ctx.prisma.order.findUnique({ where: { id } }));
}

/** Payer fields of a test deposit, by their merchant API names (seed 001: required by service). */
const PAYER_PARAMS = {
  payerName: 'payer_name',
  payerAccount: 'payer_account',
  bankCode: 'bank_code',
  payerPhone: 'payer_phone',
  payerIdNumber: 'payer_id_number',
  remarkCode: 'remark_code',
} as const;

export type CreateTestPayinInput = { [K in keyof typeof PAYER_PARAMS]?: string | null } & {
  merchantId: string;
  /** Service code, e.g. THB_BANK. */
  service: string;
  /** Route to this channel only; null: the routing rule picks. */
  channelId: string | null;
  /** Decimal string in the service's currency. */
  amount: string;
  outTradeNo?: string | null;
  expireSeconds?: number | null;
  notifyUrl?: string | null;
  returnUrl?: string | null;
  userId?: string | null;
  description?: string | null;
};

/** A generated merchant order number for test orders created by hand. */
export function testOutTradeNo(): string {
  return `TEST-${Date.now().toString(36).toUpperCase()}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
}

/** A test deposit for a merchant (seed 001), through the same operation as the merchant API. */
export async function createTestPayin(ctx: RequestContext, input: CreateTestPayinInput) {
  const viewer = requireViewer(ctx);
  const merchant = await loadReadableMerchant(ctx, input.merchantId);
  assertCan(ctx, 'create', 'Order', { merchantId: merchant.id });
  const service = await ctx.prisma.service.findUnique({ where: { code: input.service } });
  const params: Record<string, unknown> = {
    out_trade_no: input.outTradeNo ?? testOutTradeNo(),
    amount: input.amount,
    currency: service?.currencyCode ?? 'XXX',
    chain: service?.chain ?? null,
    service: input.service,
    expire_second: input.expireSeconds ?? undefined,
    notify_url: input.notifyUrl ?? undefined,
    return_url: input.returnUrl ?? undefined,
    user_id: input.userId ?? undefined,
    description: input.description ?? undefined,
  };
  for (const [field, param] of Object.entries(PAYER_PARAMS)) params[param] = input[field as keyof typeof PAYER_PARAMS] ?? undefined;
  const result = await createPayin(ctx, {
    merchantId: merchant.id,
    mchId: merchant.mchId,
    appDbId: null,
    test: true,
    defaultNotifyUrl: null,
    createdById: viewer.kind === 'user' ? viewer.userId : null,
    creationType: 'MANUAL',
    params,
    channelId: input.channelId,
    audit: auditHook(ctx, 'payin.create_test', 'Order', { amount: input.amount, service: input.service }),
  });
  return { paymentUrl: paymentUrl(ctx.config.publicUrl, result.order.prepayId), order: result.order };
}

/** Closes an unpaid payin (PENDING/PROCESSING → CLOSED). */
export async function closePayinById(ctx: RequestContext, input: { id: string; reason: string | null }) {
  const order = await loadReadablePayin(ctx, input.id);
  assertCan(ctx, 'update', 'Order', order);
  const actor = actorOf(ctx);
  return closePayin(ctx, {
    merchantId: order.merchantId,
    orderId: order.id,
    actor: { type: actor.type, id: actor.id ?? null },
    reason: input.reason,
    audit: auditHook(ctx, 'payin.close', 'Order', { reason: input.reason }),
  });
}

/**
 * Test orders only: the sandbox upstream sends a signed callback now. `amount` (a decimal string in the
 * payin's currency) makes a success a partial payment.
 */
export async function simulatePayinCallback(ctx: RequestContext, input: { id: string; outcome: SimulatedOutcome; amount: string | null }) {
  const order = await loadReadablePayin(ctx, input.id);
  assertCan(ctx, 'simulate', 'Order', order);
  // Seed 000 reserves simulated reversals for platform staff testing: the status-override permission.
  if (input.outcome === 'reversal') assertCan(ctx, 'override', 'Order', order);
  const actor = actorOf(ctx);
  const amount = input.amount !== null ? parseAmount(input.amount, await currencyDigits(ctx.prisma, order.currencyCode)) : undefined;
  return simulateCallback(ctx, {
    key: { id: order.id },
    outcome: input.outcome,
    actor: { type: actor.type, id: actor.id ?? null },
    ...(amount !== undefined ? { amount } : {}),
    audit: auditHook(ctx, 'payin.simulate_callback', 'Order', { outcome: input.outcome.toUpperCase(), amount: input.amount }),
  });
}

/** Manual status change with a reason (seed 002): paid by hand, failed, or reversal of a success. */
export async function overridePayinStatusById(ctx: RequestContext, input: { id: string; status: ManualPayinStatus; reason: string }) {
  const order = await loadReadablePayin(ctx, input.id);
  assertCan(ctx, 'override', 'Order', order);
  return overridePayinStatus(ctx, { orderId: order.id, actor: actorOf(ctx), reason: input.reason, status: input.status });
}

/** Marks a payin as fraud (or back to normal), with a reason. */
export async function setPayinOriginalityById(ctx: RequestContext, input: { id: string; originality: Originality; reason: string }) {
  const order = await loadReadablePayin(ctx, input.id);
  assertCan(ctx, 'markFraud', 'Order', order);
  return setPayinOriginality(ctx, { orderId: order.id, actor: actorOf(ctx), reason: input.reason, originality: input.originality });
}

/** Sends the merchant the callback of the payin's current status again (NO_NOTIFY_URL when there is nowhere to send it). */
export async function resendPayinNotification(ctx: RequestContext, input: { id: string }) {
  const order = await loadReadablePayin(ctx, input.id);
  assertCan(ctx, 'resend', 'Order', order);
  return resendLatestNotification(ctx.prisma, { kind: 'order', id: order.id }, actorOf(ctx));
}
