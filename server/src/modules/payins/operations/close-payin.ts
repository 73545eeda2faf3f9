import type { AuditHook } from '../../audit/audit.service.ts';
import type { PayinsServices } from '../payins.context.ts';
import { InvalidTransitionError, PayinNotFoundError } from '../payins.errors.ts';
import type { PayinObject } from '../payins.presenter.ts';
import { isOpenPayin } from '../payins.state.ts';
import { lockPayin, presentPayin, transitionPayin, type LoadedPayin } from '../payins.transition.ts';
import { type Actor, inTransaction } from '../../shared/process.ts';
import { notifyPayinStatus } from '../payins.notify.ts';

/**
 * Closes an unpaid payin (POST /v1/transaction/close, back office): only PENDING or PROCESSING orders
 * that have received no payment become CLOSED; anything else is INVALID_TRANSITION (40902), including
 * closing twice. A sandbox order needs no upstream call; remote connectors would cancel upstream here.
 */

export interface ClosePayinInput {
  merchantId: string;
  /** One of them identifies the order within the merchant. */
  outTradeNo?: string;
  prepayId?: string;
  orderId?: string;
  /** REST: the application's book; a test application cannot reach live orders and the other way round. */
  test?: boolean;
  actor: Actor;
  reason?: string | null;
  /** Back office: the audit row, written in the operation's transaction. */
  audit?: AuditHook;
}

export async function closePayin(services: Pick<PayinsServices, 'prisma' | 'events'>, input: ClosePayinInput): Promise<{ order: LoadedPayin; object: PayinObject }> {
  return inTransaction(services, async (tx, outbox) => {
    const key = input.orderId
      ? { id: input.orderId }
      : input.prepayId
        ? { prepayId: input.prepayId }
        : input.outTradeNo
          ? { merchantId: input.merchantId, outTradeNo: input.outTradeNo }
          : null;
    if (!key) throw new PayinNotFoundError();
    const order = await lockPayin(tx, key);
    if (!order || order.merchantId !== input.merchantId || (input.test !== undefined && order.test !== input.test)) throw new PayinNotFoundError();
    if (!isOpenPayin(order.status)) {
      throw new InvalidTransitionError(order.status, 'CLOSED', `a ${order.status} payin cannot be closed`);
    }
    if (order.paidAmount > 0n || order.payments.length > 0) {
      throw new InvalidTransitionError(order.status, 'CLOSED', 'the payin has already received payments and cannot be closed');
    }
    const closed = await transitionPayin(tx, outbox, order, 'CLOSED', {
      type: 'CLOSED',
      message: input.reason ? `closed: ${input.reason}` : 'closed before payment',
      actor: input.actor,
      patch: { finishedAt: new Date() },
    });
    await notifyPayinStatus(tx, closed);
    await input.audit?.(tx, { id: closed.id, merchantId: closed.merchantId });
    return { order: closed, object: await presentPayin(tx, closed) };
  });
}
