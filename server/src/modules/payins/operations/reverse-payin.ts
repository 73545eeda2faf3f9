import type { Tx } from '../../../db/prisma.ts';
import type { PayinsServices } from '../payins.context.ts';
import { PayinNotFoundError } from '../payins.errors.ts';
import { reversePayinFunds } from '../payins.ledger.ts';
import { assertTransition } from '../payins.state.ts';
import { lockPayin, presentPayin, transitionPayin, type LoadedPayin, type PayinKey } from '../payins.transition.ts';
import { type Actor, inTransaction, type Outbox } from '../../shared/process.ts';
import type { PayinObject } from '../payins.presenter.ts';
import { notifyPayinStatus } from '../payins.notify.ts';

/**
 * Status reversal (seed 000: success followed by failure): SUCCEEDED → REVERSED. Every ledger entry
 * of the order is negated exactly (idempotency key `payin:<id>:reversal`); when the merchant's
 * AVAILABLE (or PENDING) balance cannot cover it the whole operation fails with INSUFFICIENT_BALANCE
 * and nothing changes. Payments are marked REVERSED; the merchant gets a callback.
 */

export interface ReversePayinInput {
  /** Restricts the lookup to one merchant (merchant-scoped callers); staff may omit it with `{ id }`. */
  key: PayinKey;
  merchantId?: string;
  actor: Actor;
  reason?: string | null;
}

export async function reversePayin(services: PayinsServices, input: ReversePayinInput): Promise<{ order: LoadedPayin; object: PayinObject }> {
  return inTransaction(services, async (tx, outbox) => {
    const order = await lockPayin(tx, input.key);
    if (!order || (input.merchantId && order.merchantId !== input.merchantId)) throw new PayinNotFoundError();
    const reversed = await reversePayinInTx(tx, outbox, order, input.actor, input.reason ?? null);
    return { order: reversed, object: await presentPayin(tx, reversed) };
  });
}

/** The reversal inside the caller's transaction, on a locked order. */
export async function reversePayinInTx(tx: Tx, outbox: Outbox, order: LoadedPayin, actor: Actor, reason: string | null): Promise<LoadedPayin> {
  assertTransition(order.status, 'REVERSED');
  const { lines } = await reversePayinFunds(tx, order, actor, reason);
  await tx.payment.updateMany({ where: { orderId: order.id, status: 'SUCCEEDED' }, data: { status: 'REVERSED' } });
  const reversed = await transitionPayin(tx, outbox, order, 'REVERSED', {
    type: 'REVERSED',
    message: reason ? `payment reversed: ${reason}` : 'payment reversed',
    data: { ledgerLines: lines.map((l) => ({ account: `${l.account.ownerType}:${l.account.kind}`, amount: l.amount.toString() })) },
    actor,
    patch: { finishedAt: new Date() },
  });
  await notifyPayinStatus(tx, reversed);
  return reversed;
}
