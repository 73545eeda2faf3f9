import type { Db, Prisma, Tx } from '../../db/prisma.ts';
import type { PayoutStatus } from '../../generated/prisma/enums.ts';
import type { Payout, ServiceKind } from '../../generated/prisma/client.ts';
import { currencyDigits } from '../catalog/catalog.service.ts';
import { defineTimelineTransition, lockRowId, statusChanged, timelineColumns, type TimelineEntry, type TimelineStep } from '../shared/process.ts';
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
  const id = await lockRowId(tx, 'payouts', key);
  return id ? findPayout(tx, { id }) : null;
}

export async function presentPayout(db: Db, payout: LoadedPayout): Promise<PayoutObject> {
  return toPayoutObject(payout, payout.service.code, payout.merchant.mchId, await currencyDigits(db, payout.currencyCode));
}

export type PayoutEventInput = TimelineEntry<PayoutStatus>;

export async function recordPayoutEvent(tx: Db, payoutId: string, event: PayoutEventInput): Promise<void> {
  await tx.payoutEvent.create({ data: { payoutId, ...timelineColumns(event) } });
}

export type PayoutTransitionInput = TimelineStep<Prisma.PayoutUncheckedUpdateInput>;

/** Changes a locked payout's status (see the file comment); returns the reloaded payout. */
export const transitionPayout = defineTimelineTransition<LoadedPayout, PayoutStatus, Prisma.PayoutUncheckedUpdateInput>({
  assertTransition: (from, to) => assertPayoutTransition(from, to),
  update: (tx, id, data) => tx.payout.update({ where: { id }, data, include: PAYOUT_INCLUDE }),
  timeline: (tx, id, entry) => recordPayoutEvent(tx, id, entry),
  topic: 'payout:changed',
});

export const payoutChanged = statusChanged;
