import type { Db, Prisma, Tx } from '../../db/prisma.ts';
import type { Order, Payment, ServiceKind } from '../../generated/prisma/client.ts';
import { currencyDigits } from '../catalog/catalog.service.ts';
import { defineTimelineTransition, lockRowId, statusChanged, timelineColumns, TX_OPTIONS, type TimelineEntry, type TimelineStep } from '../shared/process.ts';
import { toPayinObject, type PayinObject } from './payins.presenter.ts';
import { assertTransition, type PayinStatus } from './payins.state.ts';

/**
 * The payin process on the transition kernel (modules/shared/process.ts): how a payin is loaded and
 * locked, and `transitionPayin` — the state table (payins.state.ts), `sequence` + 1, the timeline row
 * (OrderEvent) and the 'payin:changed' announcement. The merchant's callback is the operation's own
 * next step (`notifyPayinStatus`, payins.notify.ts).
 */


export const PAYIN_INCLUDE = {
  payments: { orderBy: [{ paidAt: 'asc' }, { id: 'asc' }] },
  service: { select: { code: true, kind: true, requiredFields: true } },
  merchant: { select: { mchId: true } },
} as const satisfies Prisma.OrderInclude;

export type LoadedPayin = Order & {
  payments: Payment[];
  service: { code: string; kind: ServiceKind; requiredFields: string[] };
  merchant: { mchId: string };
};

export type PayinKey = { id: string } | { orderNo: string } | { prepayId: string } | { merchantId: string; outTradeNo: string };

export const PAYIN_TX_OPTIONS = TX_OPTIONS;

function whereOf(key: PayinKey): Prisma.OrderWhereUniqueInput {
  if ('id' in key) return { id: key.id };
  if ('orderNo' in key) return { orderNo: key.orderNo };
  if ('prepayId' in key) return { prepayId: key.prepayId };
  return { merchantId_outTradeNo: { merchantId: key.merchantId, outTradeNo: key.outTradeNo } };
}

/** Loads an order with what presenting it needs (no lock). */
export function findPayin(db: Db, key: PayinKey): Promise<LoadedPayin | null> {
  return db.order.findUnique({ where: whereOf(key), include: PAYIN_INCLUDE });
}

/** Locks the payin row (FOR UPDATE) in the caller's transaction and loads it; null when absent. */
export async function lockPayin(tx: Tx, key: PayinKey): Promise<LoadedPayin | null> {
  const id = await lockRowId(tx, 'orders', key);
  return id ? findPayin(tx, { id }) : null;
}

export async function presentPayin(db: Db, order: LoadedPayin): Promise<PayinObject> {
  return toPayinObject(order, order.service.code, order.merchant.mchId, await currencyDigits(db, order.currencyCode));
}

export type PayinEventInput = TimelineEntry<PayinStatus>;

/** A timeline row that is not a status change (notes: payment received, overpay, ignored callback …). */
export async function recordPayinEvent(tx: Db, orderId: string, event: PayinEventInput): Promise<void> {
  await tx.orderEvent.create({ data: { orderId, ...timelineColumns(event) } });
}

export type TransitionInput = TimelineStep<Prisma.OrderUncheckedUpdateInput>;

/** Changes a locked payin's status (see the file comment); returns the reloaded payin. */
export const transitionPayin = defineTimelineTransition<LoadedPayin, PayinStatus, Prisma.OrderUncheckedUpdateInput>({
  assertTransition: (from, to) => assertTransition(from, to),
  update: (tx, id, data) => tx.order.update({ where: { id }, data, include: PAYIN_INCLUDE }),
  timeline: (tx, id, entry) => recordPayinEvent(tx, id, entry),
  topic: 'payin:changed',
});

export const payinChanged = statusChanged;
