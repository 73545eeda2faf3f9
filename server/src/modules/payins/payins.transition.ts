import type { Db, Prisma, Tx } from '../../db/prisma.ts';
import type { Order, Payment, ServiceKind } from '../../generated/prisma/client.ts';
import { currencyDigits } from '../catalog/catalog.service.ts';
import { defineTransition, TX_OPTIONS, type Actor } from '../shared/process.ts';
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

/** Locks the order row (FOR UPDATE) in the caller's transaction and loads it; null when absent. */
export async function lockPayin(tx: Tx, key: PayinKey): Promise<LoadedPayin | null> {
  let rows: { id: string }[];
  if ('id' in key) rows = await tx.$queryRaw`SELECT id FROM orders WHERE id = ${key.id}::uuid FOR UPDATE`;
  else if ('orderNo' in key) rows = await tx.$queryRaw`SELECT id FROM orders WHERE "orderNo" = ${key.orderNo} FOR UPDATE`;
  else if ('prepayId' in key) rows = await tx.$queryRaw`SELECT id FROM orders WHERE "prepayId" = ${key.prepayId} FOR UPDATE`;
  else {
    rows = await tx.$queryRaw`SELECT id FROM orders WHERE "merchantId" = ${key.merchantId}::uuid AND "outTradeNo" = ${key.outTradeNo} FOR UPDATE`;
  }
  const id = rows[0]?.id;
  return id ? findPayin(tx, { id }) : null;
}

export async function presentPayin(db: Db, order: LoadedPayin): Promise<PayinObject> {
  return toPayinObject(order, order.service.code, order.merchant.mchId, await currencyDigits(db, order.currencyCode));
}

export interface PayinEventInput {
  type: string;
  message?: string | null;
  data?: Prisma.InputJsonValue | null;
  actor: Actor;
  fromStatus?: PayinStatus | null;
  toStatus?: PayinStatus | null;
}

/** A timeline row that is not a status change (notes: payment received, overpay, ignored callback …). */
export async function recordPayinEvent(tx: Db, orderId: string, event: PayinEventInput): Promise<void> {
  await tx.orderEvent.create({
    data: {
      orderId,
      type: event.type,
      fromStatus: event.fromStatus ?? null,
      toStatus: event.toStatus ?? null,
      message: event.message ?? null,
      ...(event.data != null ? { data: event.data } : {}),
      actorType: event.actor.type,
      actorId: event.actor.id ?? null,
    },
  });
}

export interface TransitionInput {
  /** Timeline event type; default `STATUS_<TO>` (e.g. STATUS_CLOSED). */
  type?: string;
  message?: string | null;
  data?: Prisma.InputJsonValue | null;
  actor: Actor;
  /** Other columns changed together with the status (paidAt, fee, payer fields …). */
  patch?: Prisma.OrderUncheckedUpdateInput;
}

/** Changes a locked payin's status (see the file comment); returns the reloaded payin. */
export const transitionPayin = defineTransition<LoadedPayin, PayinStatus, TransitionInput>({
  assertTransition: (from, to) => assertTransition(from, to),
  write: (tx, order, to, step) =>
    tx.order.update({ where: { id: order.id }, data: { ...step.patch, status: to, sequence: { increment: 1 } }, include: PAYIN_INCLUDE }),
  record: (tx, before, after, step) =>
    recordPayinEvent(tx, after.id, {
      type: step.type ?? `STATUS_${after.status}`,
      message: step.message ?? null,
      data: step.data ?? null,
      actor: step.actor,
      fromStatus: before.status,
      toStatus: after.status,
    }),
  announce: (order) => ({ topic: 'payin:changed', event: payinChanged(order) }),
});

export function payinChanged(order: Pick<Order, 'id' | 'merchantId' | 'status' | 'sequence'>) {
  return { id: order.id, merchantId: order.merchantId, status: order.status, sequence: order.sequence };
}
