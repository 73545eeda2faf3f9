import { randomUUID } from 'node:crypto';
import type { Originality } from '../../../generated/prisma/enums.ts';
import { DomainError } from '../../../lib/errors.ts';
import { recordAudit, type AuditActor } from '../../audit/audit.service.ts';
import type { PayinsServices } from '../payins.context.ts';
import { PayinNotFoundError } from '../payins.errors.ts';
import { lockPayin, recordPayinEvent, type LoadedPayin } from '../payins.transition.ts';
import { applyUpstreamPaymentInTx } from './apply-upstream-payment.ts';
import { reversePayinInTx } from './reverse-payin.ts';
import { inTransaction } from '../../shared/process.ts';

/**
 * Manual operations on payins from the back office (seed 002 "manual status change", "mark fraud"),
 * each one transaction with a timeline event and an audit row, the reason mandatory.
 *
 * overridePayinStatus:
 *   SUCCEEDED  an open order is paid by hand: a MANUAL-… payment of what is still missing is recorded
 *              and credited exactly as an upstream payment would be (fee, T+N, callback)
 *   FAILED     an open order without payments fails
 *   REVERSED   a paid order is reversed (ledger negated, callback)
 * setPayinOriginality: NORMAL ↔ FRAUD (seed 002 "originality"); no money moves.
 */

export interface ManualInput {
  orderId: string;
  actor: AuditActor;
  reason: string;
}

async function locked(tx: Parameters<typeof lockPayin>[0], orderId: string): Promise<LoadedPayin> {
  const order = await lockPayin(tx, { id: orderId });
  if (!order) throw new PayinNotFoundError({ id: orderId });
  return order;
}

export async function overridePayinStatus(
  services: Pick<PayinsServices, 'prisma' | 'events'>,
  input: ManualInput & { status: 'SUCCEEDED' | 'FAILED' | 'REVERSED' },
): Promise<LoadedPayin> {
  return inTransaction(services, async (tx, outbox) => {
    const order = await locked(tx, input.orderId);
    const before = { status: order.status, paidAmount: order.paidAmount.toString() };
    const actor = { type: input.actor.type, id: input.actor.id ?? null };
    await recordPayinEvent(tx, order.id, { type: 'MANUAL_OVERRIDE', message: `manual change to ${input.status}: ${input.reason}`, actor });
    let result: LoadedPayin;
    if (input.status === 'REVERSED') {
      if (order.status !== 'SUCCEEDED') {
        throw new DomainError('INVALID_TRANSITION', `only a successful payin can be reversed; this one is ${order.status}`, { from: order.status, to: 'REVERSED' });
      }
      result = await reversePayinInTx(tx, outbox, order, actor, input.reason);
    } else {
      if (order.status !== 'PENDING' && order.status !== 'PROCESSING') {
        throw new DomainError('INVALID_TRANSITION', `a ${order.status} payin cannot be changed to ${input.status}`, { from: order.status, to: input.status });
      }
      if (!order.channelId) throw new DomainError('INVALID_TRANSITION', 'the payin has no channel', { from: order.status, to: input.status });
      const missing = order.amount - order.paidAmount;
      const applied = await applyUpstreamPaymentInTx(tx, outbox, {
        channelId: order.channelId,
        channelCode: `manual:${input.actor.label ?? input.actor.id ?? 'staff'}`,
        orderRef: order.orderNo,
        status: input.status === 'SUCCEEDED' ? 'PAID' : 'FAILED',
        payments: input.status === 'SUCCEEDED' && missing > 0n ? [{ txnId: `MANUAL-${randomUUID()}`, amount: missing, paidAt: new Date() }] : [],
        eventKey: `manual:${randomUUID()}`,
        reason: input.reason,
      });
      result = applied.order;
      if (result.status !== input.status) {
        throw new DomainError('INVALID_TRANSITION', `the payin could not be changed to ${input.status} (it has partial payments or is final)`, {
          from: order.status,
          to: input.status,
        });
      }
    }
    await recordAudit(tx, input.actor, {
      action: 'payin.override_status',
      merchantId: order.merchantId,
      entityType: 'Order',
      entityId: order.id,
      before,
      after: { status: result.status, paidAmount: result.paidAmount.toString(), reason: input.reason },
    });
    return result;
  });
}

export async function setPayinOriginality(
  services: Pick<PayinsServices, 'prisma' | 'events'>,
  input: ManualInput & { originality: Originality },
): Promise<LoadedPayin> {
  return inTransaction(services, async (tx) => {
    const order = await locked(tx, input.orderId);
    if (order.originality === input.originality) return order;
    const updated = await tx.order.update({ where: { id: order.id }, data: { originality: input.originality }, include: { payments: true, service: true, merchant: true } });
    await recordPayinEvent(tx, order.id, {
      type: input.originality === 'FRAUD' ? 'MARKED_FRAUD' : 'MARKED_NORMAL',
      message: input.reason,
      actor: { type: input.actor.type, id: input.actor.id ?? null },
    });
    await recordAudit(tx, input.actor, {
      action: 'payin.set_originality',
      merchantId: order.merchantId,
      entityType: 'Order',
      entityId: order.id,
      before: { originality: order.originality },
      after: { originality: input.originality, reason: input.reason },
    });
    return { ...order, originality: updated.originality };
  });
}
