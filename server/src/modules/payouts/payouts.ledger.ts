import type { Tx } from '../../db/prisma.ts';
import type { LedgerAccountKind, LedgerOwnerType } from '../../generated/prisma/enums.ts';
import { channelAccount, merchantAccount, platformAccount, postTransaction, type AccountRef, type PostingLine } from '../ledger/ledger.service.ts';
import type { Actor } from '../shared/process.ts';
import type { LoadedPayout } from './payouts.transition.ts';

/**
 * Money movements of payouts. All reference the payout (`referenceType: 'PAYOUT'`), so the sum of a
 * payout's entries per account is its net effect. a = amount, f = fee.
 *
 *   freeze  (created)    merchant AVAILABLE −(a+f), FROZEN +(a+f);
 *                        channel BALANCE +a (reserved at the upstream), channel CLEARING −a (in transit)
 *   settle  (SUCCEEDED)  merchant FROZEN −(a+f); platform FEES +f; channel CLEARING +a (gone)
 *   release (FAILED, REJECTED)
 *                        merchant FROZEN −(a+f), AVAILABLE +(a+f); channel BALANCE −a, CLEARING +a
 *   reverse (REVERSED)   the negation of everything posted for the payout: the money came back to the
 *                        channel and the merchant gets amount and fee back
 *
 * Reserving the channel's balance at creation (BALANCE may not go negative) makes "the channel holds
 * enough" exact under concurrency; a per-channel CLEARING account keeps that off the platform-wide hot
 * rows.
 */

export const PAYOUT_REFERENCE = 'PAYOUT';

export const channelClearingAccount = (channelId: string, currency: string): AccountRef => ({
  ownerType: 'CHANNEL',
  ownerId: channelId,
  currency,
  kind: 'CLEARING',
});

type PayoutMoney = Pick<LoadedPayout, 'id' | 'payoutNo' | 'merchantId' | 'channelId' | 'currencyCode' | 'amount' | 'fee' | 'test'>;

function common(payout: PayoutMoney, kind: string, step: string, actor: Actor, description?: string) {
  return {
    kind,
    idempotencyKey: `payout:${payout.id}:${step}`,
    test: payout.test,
    referenceType: PAYOUT_REFERENCE,
    referenceId: payout.id,
    description: description ?? `${kind} ${payout.payoutNo}`,
    actorType: actor.type,
    ...(actor.id ? { actorId: actor.id } : {}),
  };
}

export async function freezePayoutFunds(tx: Tx, payout: PayoutMoney, actor: Actor): Promise<void> {
  const total = payout.amount + payout.fee;
  const channelId = payout.channelId!;
  await postTransaction(tx, {
    ...common(payout, 'PAYOUT_FREEZE', 'freeze', actor),
    lines: [
      { account: merchantAccount(payout.merchantId, payout.currencyCode, 'AVAILABLE'), amount: -total },
      { account: merchantAccount(payout.merchantId, payout.currencyCode, 'FROZEN'), amount: total },
      { account: channelAccount(channelId, payout.currencyCode), amount: payout.amount },
      { account: channelClearingAccount(channelId, payout.currencyCode), amount: -payout.amount },
    ],
  });
}

export async function settlePayoutFunds(tx: Tx, payout: PayoutMoney, actor: Actor): Promise<void> {
  const total = payout.amount + payout.fee;
  await postTransaction(tx, {
    ...common(payout, 'PAYOUT_SETTLE', 'settle', actor),
    lines: [
      { account: merchantAccount(payout.merchantId, payout.currencyCode, 'FROZEN'), amount: -total },
      { account: platformAccount(payout.currencyCode, 'FEES'), amount: payout.fee },
      { account: channelClearingAccount(payout.channelId!, payout.currencyCode), amount: payout.amount },
    ],
  });
}

export async function releasePayoutFunds(tx: Tx, payout: PayoutMoney, actor: Actor, why: 'FAILED' | 'REJECTED'): Promise<void> {
  const total = payout.amount + payout.fee;
  const channelId = payout.channelId!;
  await postTransaction(tx, {
    ...common(payout, 'PAYOUT_RELEASE', 'release', actor, `PAYOUT_RELEASE ${payout.payoutNo} (${why})`),
    lines: [
      { account: merchantAccount(payout.merchantId, payout.currencyCode, 'FROZEN'), amount: -total },
      { account: merchantAccount(payout.merchantId, payout.currencyCode, 'AVAILABLE'), amount: total },
      { account: channelAccount(channelId, payout.currencyCode), amount: -payout.amount },
      { account: channelClearingAccount(channelId, payout.currencyCode), amount: payout.amount },
    ],
  });
}

export async function reversePayoutFunds(tx: Tx, payout: PayoutMoney, actor: Actor, reason: string | null): Promise<PostingLine[]> {
  const sums = await tx.$queryRaw<{ ownerType: LedgerOwnerType; ownerId: string; currencyCode: string; kind: LedgerAccountKind; amount: bigint }[]>`
    SELECT a."ownerType", a."ownerId", a."currencyCode", a.kind, SUM(e.amount)::bigint AS amount
    FROM ledger_entries e
    JOIN ledger_transactions t ON t.id = e."transactionId"
    JOIN ledger_accounts a ON a.id = e."accountId"
    WHERE t."referenceType" = ${PAYOUT_REFERENCE} AND t."referenceId" = ${payout.id}
    GROUP BY a."ownerType", a."ownerId", a."currencyCode", a.kind`;
  const lines: PostingLine[] = sums
    .map((s) => ({ account: { ownerType: s.ownerType, ownerId: s.ownerId, currency: s.currencyCode, kind: s.kind } as AccountRef, amount: -BigInt(s.amount) }))
    .filter((l) => l.amount !== 0n);
  if (lines.length === 0) return lines;
  await postTransaction(tx, { ...common(payout, 'PAYOUT_REVERSAL', 'reversal', actor, `PAYOUT_REVERSAL ${payout.payoutNo}${reason ? `: ${reason}` : ''}`), lines });
  return lines;
}
