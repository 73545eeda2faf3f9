import type { Tx } from '../../../db/prisma.ts';
import { formatAmount } from '../../../lib/money.ts';
import { currencyDigits } from '../../catalog/catalog.service.ts';
import type { UpstreamPayment, UpstreamStatus } from '../../routing/connectors/connector.ts';
import type { PayinsServices } from '../payins.context.ts';
import { PayinNotFoundError, UpstreamChannelMismatchError } from '../payins.errors.ts';
import { creditPayinFunds } from '../payins.ledger.ts';
import { isOpenPayin } from '../payins.state.ts';
import { findPayin, lockPayin, recordPayinEvent, transitionPayin, type LoadedPayin } from '../payins.transition.ts';
import { type Actor, inTransaction, type Outbox } from '../../shared/process.ts';
import { reversePayinInTx } from './reverse-payin.ts';
import { notifyPayinStatus } from '../payins.notify.ts';

/**
 * Applies what a verified upstream callback (or a query) says about a payin.
 *
 * PAID — payments are inserted as sub-orders, idempotently per (channel, txn_id) (a repeated callback
 *   adds nothing: DUPLICATE). Accumulation (seed 002 stockpiling): while the received total is below
 *   the amount the order is PROCESSING with accumulationStatus IN_PROGRESS; when it reaches the amount
 *   it is SUCCEEDED (COMPLETED, paidAt = the completing payment's time) and the whole received total is
 *   credited (channel BALANCE − paid, merchant + paid − fee, FEES + fee). More than the amount is an
 *   overpay: credited in full, noted in the timeline. Money arriving after the order is final
 *   (SUCCEEDED, EXPIRED, FAILED, CLOSED, REVERSED) is recorded and credited at once (LATE_PAYMENT) —
 *   money we hold is always the merchant's — without changing the status.
 * FAILED — an open order without payments → FAILED. With partial payments it keeps waiting (expiry
 *   credits what was received). On a SUCCEEDED order it is an out-of-order callback: ignored with a
 *   timeline note; only an explicit REVERSED changes a paid order. FAILED twice: DUPLICATE.
 * REVERSED — SUCCEEDED → REVERSED (ledger negated exactly); REVERSED twice: DUPLICATE; else ignored.
 */

export interface UpstreamResultInput {
  channelId: string;
  /** For the timeline actor; default the channel id. */
  channelCode?: string;
  /** Our order number as the upstream echoes it. */
  orderRef: string;
  status: UpstreamStatus;
  payments: UpstreamPayment[];
  eventKey?: string | null;
  reason?: string | null;
}

export type ApplyOutcome = 'APPLIED' | 'DUPLICATE' | 'IGNORED';

export interface ApplyResult {
  outcome: ApplyOutcome;
  order: LoadedPayin;
  note: string | null;
}

export async function applyUpstreamPayment(services: Pick<PayinsServices, 'prisma' | 'events'>, input: UpstreamResultInput): Promise<ApplyResult> {
  return inTransaction(services, (tx, outbox) => applyUpstreamPaymentInTx(tx, outbox, input));
}

export async function applyUpstreamPaymentInTx(tx: Tx, outbox: Outbox, input: UpstreamResultInput): Promise<ApplyResult> {
  const order = await lockPayin(tx, { orderNo: input.orderRef });
  if (!order) throw new PayinNotFoundError({ orderNo: input.orderRef });
  if (order.channelId !== input.channelId) throw new UpstreamChannelMismatchError(order.orderNo);
  const actor: Actor = { type: 'UPSTREAM', id: input.channelCode ?? input.channelId };
  const digits = await currencyDigits(tx, order.currencyCode);
  const fmt = (v: bigint) => formatAmount(v, digits);
  const eventData = input.eventKey ? { eventKey: input.eventKey } : {};

  const ignore = async (note: string): Promise<ApplyResult> => {
    await recordPayinEvent(tx, order.id, { type: 'CALLBACK_IGNORED', message: note, data: { ...eventData, upstreamStatus: input.status }, actor });
    return { outcome: 'IGNORED', order, note };
  };

  if (input.status === 'FAILED') {
    if (order.status === 'FAILED') return { outcome: 'DUPLICATE', order, note: null };
    if (isOpenPayin(order.status)) {
      if (order.paidAmount > 0n) {
        return ignore(`upstream reported a failure but ${fmt(order.paidAmount)} ${order.currencyCode} was already received; waiting for the rest or for expiry`);
      }
      const failed = await transitionPayin(tx, outbox, order, 'FAILED', {
        type: 'UPSTREAM_FAILED',
        message: input.reason ? `upstream reported failure: ${input.reason}` : 'upstream reported failure',
        data: eventData,
        actor,
        patch: { finishedAt: new Date() },
      });
      await notifyPayinStatus(tx, failed);
      return { outcome: 'APPLIED', order: failed, note: null };
    }
    return ignore(`FAILED callback after ${order.status} ignored (out of order); only an explicit reversal changes a paid order`);
  }

  if (input.status === 'REVERSED') {
    if (order.status === 'REVERSED') return { outcome: 'DUPLICATE', order, note: null };
    if (order.status !== 'SUCCEEDED') return ignore(`REVERSED callback for a ${order.status} order ignored`);
    const reversed = await reversePayinInTx(tx, outbox, order, actor, input.reason ?? 'reversed by the upstream');
    return { outcome: 'APPLIED', order: reversed, note: null };
  }

  // PAID
  if (input.payments.length === 0) return ignore('PAID callback without transactions ignored');
  for (const p of input.payments) if (p.amount <= 0n) return ignore(`PAID callback with a non-positive amount (txn ${p.txnId}) ignored`);
  const inserted = await tx.payment.createManyAndReturn({
    data: input.payments.map((p) => ({
      orderId: order.id,
      channelId: input.channelId,
      txnId: p.txnId,
      amount: p.amount,
      currencyCode: order.currencyCode,
      paidAt: p.paidAt,
    })),
    skipDuplicates: true,
  });
  if (inserted.length === 0) return { outcome: 'DUPLICATE', order, note: null };

  const received = inserted.reduce((sum, p) => sum + p.amount, 0n);
  const paidAmount = order.paidAmount + received;
  const lastPaidAt = inserted.reduce((max, p) => (p.paidAt > max ? p.paidAt : max), inserted[0]!.paidAt);
  await recordPayinEvent(tx, order.id, {
    type: 'PAYMENT_RECEIVED',
    message: `received ${fmt(received)} ${order.currencyCode} (${fmt(paidAmount)} of ${fmt(order.amount)})`,
    data: { ...eventData, payments: inserted.map((p) => ({ txnId: p.txnId, amount: fmt(p.amount), paidAt: p.paidAt.toISOString() })), paidAmount: fmt(paidAmount) },
    actor,
  });
  const overpaid = async () => {
    if (paidAmount > order.amount) {
      await recordPayinEvent(tx, order.id, {
        type: 'OVERPAID',
        message: `overpaid by ${fmt(paidAmount - order.amount)} ${order.currencyCode}; the whole ${fmt(paidAmount)} is credited`,
        data: { amount: fmt(order.amount), paidAmount: fmt(paidAmount), excess: fmt(paidAmount - order.amount) },
        actor,
      });
    }
  };

  if (!isOpenPayin(order.status)) {
    const reversed = order.status === 'REVERSED';
    const credit = await creditPayinFunds(tx, order, {
      gross: received,
      creditedBefore: reversed ? 0n : order.paidAmount,
      feeBefore: reversed ? 0n : order.fee,
      kind: 'PAYIN_LATE_PAYMENT',
      idempotencyKey: `payin:${order.id}:payment:${inserted[0]!.id}`,
      occurredAt: lastPaidAt,
      actor,
    });
    await tx.order.update({ where: { id: order.id }, data: { paidAmount, fee: reversed ? order.fee + credit.feeDelta : credit.fee } });
    await recordPayinEvent(tx, order.id, {
      type: 'LATE_PAYMENT',
      message: `payment received after the order was ${order.status}: ${fmt(received)} ${order.currencyCode} credited (fee ${fmt(credit.feeDelta)}), status unchanged`,
      data: { net: fmt(credit.net), fee: fmt(credit.feeDelta), account: credit.merchantAccount },
      actor,
    });
    if (order.status === 'SUCCEEDED') await overpaid();
    return { outcome: 'APPLIED', order: (await findPayin(tx, { id: order.id }))!, note: 'late payment' };
  }

  if (paidAmount >= order.amount) {
    const credit = await creditPayinFunds(tx, order, {
      gross: paidAmount,
      creditedBefore: 0n,
      feeBefore: 0n,
      kind: 'PAYIN_SUCCESS',
      idempotencyKey: `payin:${order.id}:success`,
      occurredAt: lastPaidAt,
      actor,
    });
    await overpaid();
    const count = order.payments.length + inserted.length;
    const succeeded = await transitionPayin(tx, outbox, order, 'SUCCEEDED', {
      type: 'SUCCEEDED',
      message: `paid ${fmt(paidAmount)} ${order.currencyCode} in ${count} payment${count === 1 ? '' : 's'}; fee ${fmt(credit.fee)}, merchant credited ${fmt(credit.net)} (${credit.merchantAccount})`,
      data: { ...eventData, paidAmount: fmt(paidAmount), fee: fmt(credit.fee), net: fmt(credit.net), account: credit.merchantAccount },
      actor,
      patch: { paidAmount, fee: credit.fee, accumulationStatus: 'COMPLETED', paidAt: lastPaidAt, finishedAt: new Date() },
    });
    await notifyPayinStatus(tx, succeeded);
    return { outcome: 'APPLIED', order: succeeded, note: null };
  }

  const patch = { paidAmount, accumulationStatus: 'IN_PROGRESS' as const };
  if (order.status === 'PENDING') {
    const processing = await transitionPayin(tx, outbox, order, 'PROCESSING', {
      type: 'ACCUMULATING',
      message: `partial payment: ${fmt(paidAmount)} of ${fmt(order.amount)} ${order.currencyCode} received, waiting for the rest`,
      data: eventData,
      actor,
      patch,
    });
    await notifyPayinStatus(tx, processing);
    return { outcome: 'APPLIED', order: processing, note: 'accumulating' };
  }
  await tx.order.update({ where: { id: order.id }, data: patch });
  return { outcome: 'APPLIED', order: (await findPayin(tx, { id: order.id }))!, note: 'accumulating' };
}
