import type { Db, Prisma, PrismaClient, Tx } from '../../db/prisma.ts';
import type { ActorType, OrderStatus } from '../../generated/prisma/enums.ts';
import type { Order, Payment, ServiceKind } from '../../generated/prisma/client.ts';
import type { EventBus } from '../../events/event-bus.ts';
import type { StatusChanged } from '../../events/topics.ts';
import { currencyDigits } from '../catalog/catalog.service.ts';
import { enqueueCallback } from '../deliveries/deliveries.service.ts';
import { toOrderObject, type OrderObject } from './orders.presenter.ts';
import { assertTransition } from './orders.state.ts';

/**
 * The one way a payin changes status. Every operation runs inside `runOrderTransaction` and calls
 * `transitionOrder`, which in the operation's transaction: checks the transition table, bumps
 * `sequence`, writes the timeline row (OrderEvent), records and schedules the merchant callback with
 * the order object; after commit `runOrderTransaction` publishes 'payin:changed'.
 */

export interface Actor {
  type: ActorType;
  id?: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'SYSTEM', id: null };

export const ORDER_INCLUDE = {
  payments: { orderBy: [{ paidAt: 'asc' }, { id: 'asc' }] },
  service: { select: { code: true, kind: true, requiredFields: true } },
  merchant: { select: { mchId: true } },
} as const satisfies Prisma.OrderInclude;

export type LoadedOrder = Order & {
  payments: Payment[];
  service: { code: string; kind: ServiceKind; requiredFields: string[] };
  merchant: { mchId: string };
};

export type OrderKey = { id: string } | { orderNo: string } | { prepayId: string } | { merchantId: string; outTradeNo: string };

/** Status changes to publish once the transaction commits. */
export type ChangeLog = StatusChanged[];

export interface OrderTxServices {
  prisma: PrismaClient;
  events: EventBus;
}

/** Interactive transactions wait for a connection and for row locks (50 concurrent creates queue on one key). */
export const ORDER_TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

/** Runs `fn` in one transaction and publishes the status changes it logged after commit (never before). */
export async function runOrderTransaction<T>(services: OrderTxServices, fn: (tx: Tx, changes: ChangeLog) => Promise<T>): Promise<T> {
  const changes: ChangeLog = [];
  const result = await services.prisma.$transaction((tx) => fn(tx, changes), ORDER_TX_OPTIONS);
  publishChanges(services.events, changes);
  return result;
}

export function publishChanges(events: EventBus, changes: ChangeLog): void {
  for (const change of changes) events.publish('payin:changed', change);
}

function whereOf(key: OrderKey): Prisma.OrderWhereUniqueInput {
  if ('id' in key) return { id: key.id };
  if ('orderNo' in key) return { orderNo: key.orderNo };
  if ('prepayId' in key) return { prepayId: key.prepayId };
  return { merchantId_outTradeNo: { merchantId: key.merchantId, outTradeNo: key.outTradeNo } };
}

/** Loads an order with what presenting it needs (no lock). */
export function findOrder(db: Db, key: OrderKey): Promise<LoadedOrder | null> {
  return db.order.findUnique({ where: whereOf(key), include: ORDER_INCLUDE });
}

/** Locks the order row (FOR UPDATE) in the caller's transaction and loads it; null when absent. */
export async function lockOrder(tx: Tx, key: OrderKey): Promise<LoadedOrder | null> {
  let rows: { id: string }[];
  if ('id' in key) rows = await tx.$queryRaw`SELECT id FROM orders WHERE id = ${key.id}::uuid FOR UPDATE`;
  else if ('orderNo' in key) rows = await tx.$queryRaw`SELECT id FROM orders WHERE "orderNo" = ${key.orderNo} FOR UPDATE`;
  else if ('prepayId' in key) rows = await tx.$queryRaw`SELECT id FROM orders WHERE "prepayId" = ${key.prepayId} FOR UPDATE`;
  else {
    rows = await tx.$queryRaw`SELECT id FROM orders WHERE "merchantId" = ${key.merchantId}::uuid AND "outTradeNo" = ${key.outTradeNo} FOR UPDATE`;
  }
  const id = rows[0]?.id;
  return id ? findOrder(tx, { id }) : null;
}

export async function presentOrder(db: Db, order: LoadedOrder): Promise<OrderObject> {
  return toOrderObject(order, order.service.code, order.merchant.mchId, await currencyDigits(db, order.currencyCode));
}

export interface OrderEventInput {
  type: string;
  message?: string | null;
  data?: Prisma.InputJsonValue | null;
  actor: Actor;
  fromStatus?: OrderStatus | null;
  toStatus?: OrderStatus | null;
}

/** A timeline row that is not a status change (notes: payment received, overpay, ignored callback …). */
export async function recordOrderEvent(tx: Db, orderId: string, event: OrderEventInput): Promise<void> {
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

/**
 * Changes a locked order's status: transition check, sequence + 1, timeline row, callback to the
 * merchant (order object as `data`), and logs the change for publishing after commit. Returns the
 * reloaded order.
 */
export async function transitionOrder(
  tx: Tx,
  changes: ChangeLog,
  order: LoadedOrder,
  to: OrderStatus,
  input: TransitionInput,
): Promise<LoadedOrder> {
  assertTransition(order.status, to);
  const updated = await tx.order.update({
    where: { id: order.id },
    data: { ...input.patch, status: to, sequence: { increment: 1 } },
    include: ORDER_INCLUDE,
  });
  await recordOrderEvent(tx, order.id, {
    type: input.type ?? `STATUS_${to}`,
    message: input.message ?? null,
    data: input.data ?? null,
    actor: input.actor,
    fromStatus: order.status,
    toStatus: to,
  });
  const delivery = await enqueueCallback(tx, {
    merchantId: updated.merchantId,
    appDbId: updated.appId,
    subject: { orderId: updated.id },
    eventType: 'payin.status_changed',
    sequence: updated.sequence,
    url: updated.notifyUrl,
    data: { ...(await presentOrder(tx, updated)) },
  });
  if (delivery) updated.postbackStatus = 'PENDING';
  changes.push({ id: updated.id, merchantId: updated.merchantId, status: updated.status, sequence: updated.sequence });
  return updated;
}
