import type { Db, Prisma, PrismaClient, Tx } from '../../db/prisma.ts';
import type { PayoutStatus } from '../../generated/prisma/enums.ts';
import type { Payout, ServiceKind } from '../../generated/prisma/client.ts';
import type { EventBus } from '../../events/event-bus.ts';
import type { StatusChanged } from '../../events/topics.ts';
import { currencyDigits } from '../catalog/catalog.service.ts';
import { enqueueCallback } from '../deliveries/deliveries.service.ts';
import type { Actor } from '../orders/orders.transition.ts';
import { toPayoutObject, type PayoutObject } from './payouts.presenter.ts';
import { assertPayoutTransition } from './payouts.state.ts';

/**
 * The one way a payout changes status, like orders.transition.ts for payins: inside
 * `runPayoutTransaction`, `transitionPayout` checks the table, bumps `sequence`, writes the timeline row
 * (PayoutEvent), records and schedules the merchant callback (`payout.status_changed`), and logs the
 * change; 'payout:changed' is published after commit. Ledger postings are the operation's job, in the
 * same transaction.
 */

export const PAYOUT_INCLUDE = {
  service: { select: { code: true, kind: true, requiredFields: true, chain: true } },
  merchant: { select: { mchId: true } },
  app: { select: { payoutNotifyUrl: true } },
} as const satisfies Prisma.PayoutInclude;

export type LoadedPayout = Payout & {
  service: { code: string; kind: ServiceKind; requiredFields: string[]; chain: string | null };
  merchant: { mchId: string };
  app: { payoutNotifyUrl: string | null } | null;
};

export type PayoutKey = { id: string } | { payoutNo: string } | { merchantId: string; outTradeNo: string };

export type PayoutChangeLog = StatusChanged[];

export interface PayoutTxServices {
  prisma: PrismaClient;
  events: EventBus;
}

export const PAYOUT_TX_OPTIONS = { maxWait: 20_000, timeout: 30_000 } as const;

export async function runPayoutTransaction<T>(services: PayoutTxServices, fn: (tx: Tx, changes: PayoutChangeLog) => Promise<T>): Promise<T> {
  const changes: PayoutChangeLog = [];
  const result = await services.prisma.$transaction((tx) => fn(tx, changes), PAYOUT_TX_OPTIONS);
  for (const change of changes) services.events.publish('payout:changed', change);
  return result;
}

function whereOf(key: PayoutKey): Prisma.PayoutWhereUniqueInput {
  if ('id' in key) return { id: key.id };
  if ('payoutNo' in key) return { payoutNo: key.payoutNo };
  return { merchantId_outTradeNo: { merchantId: key.merchantId, outTradeNo: key.outTradeNo } };
}

export function findPayout(db: Db, key: PayoutKey): Promise<LoadedPayout | null> {
  return db.payout.findUnique({ where: whereOf(key), include: PAYOUT_INCLUDE });
}

/** Locks the payout row (FOR UPDATE) and loads it; null when absent. */
export async function lockPayout(tx: Tx, key: PayoutKey): Promise<LoadedPayout | null> {
  let rows: { id: string }[];
  if ('id' in key) rows = await tx.$queryRaw`SELECT id FROM payouts WHERE id = ${key.id}::uuid FOR UPDATE`;
  else if ('payoutNo' in key) rows = await tx.$queryRaw`SELECT id FROM payouts WHERE "payoutNo" = ${key.payoutNo} FOR UPDATE`;
  else rows = await tx.$queryRaw`SELECT id FROM payouts WHERE "merchantId" = ${key.merchantId}::uuid AND "outTradeNo" = ${key.outTradeNo} FOR UPDATE`;
  const id = rows[0]?.id;
  return id ? findPayout(tx, { id }) : null;
}

export async function presentPayout(db: Db, payout: LoadedPayout): Promise<PayoutObject> {
  return toPayoutObject(payout, payout.service.code, payout.merchant.mchId, await currencyDigits(db, payout.currencyCode));
}

export interface PayoutEventInput {
  type: string;
  message?: string | null;
  data?: Prisma.InputJsonValue | null;
  actor: Actor;
  fromStatus?: PayoutStatus | null;
  toStatus?: PayoutStatus | null;
}

export async function recordPayoutEvent(tx: Db, payoutId: string, event: PayoutEventInput): Promise<void> {
  await tx.payoutEvent.create({
    data: {
      payoutId,
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

export interface PayoutTransitionInput {
  type?: string;
  message?: string | null;
  data?: Prisma.InputJsonValue | null;
  actor: Actor;
  patch?: Prisma.PayoutUncheckedUpdateInput;
}

export async function transitionPayout(
  tx: Tx,
  changes: PayoutChangeLog,
  payout: LoadedPayout,
  to: PayoutStatus,
  input: PayoutTransitionInput,
): Promise<LoadedPayout> {
  assertPayoutTransition(payout.status, to);
  const updated = await tx.payout.update({
    where: { id: payout.id },
    data: { ...input.patch, status: to, sequence: { increment: 1 } },
    include: PAYOUT_INCLUDE,
  });
  await recordPayoutEvent(tx, payout.id, {
    type: input.type ?? `STATUS_${to}`,
    message: input.message ?? null,
    data: input.data ?? null,
    actor: input.actor,
    fromStatus: payout.status,
    toStatus: to,
  });
  const delivery = await enqueueCallback(tx, {
    merchantId: updated.merchantId,
    appDbId: updated.appId,
    subject: { payoutId: updated.id },
    eventType: 'payout.status_changed',
    sequence: updated.sequence,
    url: updated.notifyUrl ?? updated.app?.payoutNotifyUrl ?? null,
    data: { ...(await presentPayout(tx, updated)) },
  });
  if (delivery) updated.postbackStatus = 'PENDING';
  changes.push({ id: updated.id, merchantId: updated.merchantId, status: updated.status, sequence: updated.sequence });
  return updated;
}
