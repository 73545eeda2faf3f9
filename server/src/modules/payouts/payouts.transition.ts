import type { Db, Prisma, Tx } from '../../db/prisma.ts';
import type { PayoutStatus } from '../../generated/prisma/enums.ts';
import type { Payout, ServiceKind } from '../../generated/prisma/client.ts';
import { currencyDigits } from '../catalog/catalog.service.ts';
import { defineTransition, type Actor } from '../shared/process.ts';
import { toPayoutObject, type PayoutObject } from './payouts.presenter.ts';
import { assertPayoutTransition } from './payouts.state.ts';

/**
 * The payout process on the transition kernel (modules/shared/process.ts), like payins.transition.ts
 * for payins: loading and locking a payout, and `transitionPayout` — the state table
 * (payouts.state.ts), `sequence` + 1, the timeline row (PayoutEvent) and the 'payout:changed'
 * announcement. Ledger postings and the merchant's callback (`notifyPayoutStatus`, payouts.notify.ts)
 * are the operation's own steps in the same transaction.
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

export const PAYOUT_TX_OPTIONS = { maxWait: 20_000, timeout: 30_000 } as const;

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

/** Changes a locked payout's status (see the file comment); returns the reloaded payout. */
export const transitionPayout = defineTransition<LoadedPayout, PayoutStatus, PayoutTransitionInput>({
  assertTransition: (from, to) => assertPayoutTransition(from, to),
  write: (tx, payout, to, step) =>
    tx.payout.update({ where: { id: payout.id }, data: { ...step.patch, status: to, sequence: { increment: 1 } }, include: PAYOUT_INCLUDE }),
  record: (tx, before, after, step) =>
    recordPayoutEvent(tx, after.id, {
      type: step.type ?? `STATUS_${after.status}`,
      message: step.message ?? null,
      data: step.data ?? null,
      actor: step.actor,
      fromStatus: before.status,
      toStatus: after.status,
    }),
  announce: (payout) => ({ topic: 'payout:changed', event: payoutChanged(payout) }),
});

export function payoutChanged(payout: Pick<Payout, 'id' | 'merchantId' | 'status' | 'sequence'>) {
  return { id: payout.id, merchantId: payout.merchantId, status: payout.status, sequence: payout.sequence };
}
