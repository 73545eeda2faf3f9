import type { Tx } from '../../db/prisma.ts';
import type { FundRequest } from '../../generated/prisma/client.ts';
import type { AuditActor } from '../audit/audit.service.ts';
import { merchantAccount, platformAccount, postTransaction, type PostingLine } from '../ledger/ledger.service.ts';

/**
 * Money movements of fund requests, always through `postTransaction` in the caller's transaction.
 * Every posting references the request (`referenceType: 'FUND_REQUEST'`) and has the idempotency key
 * `fund:<request id>:<step>`, so a step can never post twice. a = amount, f = fee.
 *
 *   RECHARGE    approve  platform CLEARING −a (the merchant's bank transfer arrived), merchant AVAILABLE
 *                        +(a−f), platform FEES +f
 *   WITHDRAWAL  freeze   (at creation) merchant AVAILABLE −(a+f), FROZEN +(a+f)
 *               approve  merchant FROZEN −(a+f), platform FEES +f, platform CLEARING +a (money leaves)
 *               release  (reject / cancel) merchant FROZEN −(a+f), AVAILABLE +(a+f)
 *   TRANSFER    freeze   (at creation) sender AVAILABLE −(a+f), FROZEN +(a+f)
 *               approve  sender FROZEN −(a+f), target AVAILABLE +a, platform FEES +f
 *               release  (reject / cancel) sender FROZEN −(a+f), AVAILABLE +(a+f)
 *
 * Freezing at creation means the money of a pending withdrawal or transfer cannot be spent twice (the
 * AVAILABLE account may not go negative: INSUFFICIENT_BALANCE), and a decision only moves what was
 * frozen. A RECHARGE moves nothing until it is approved.
 */

export const FUND_REFERENCE = 'FUND_REQUEST';

type Money = Pick<FundRequest, 'id' | 'requestNo' | 'kind' | 'merchantId' | 'targetMerchantId' | 'currencyCode' | 'amount' | 'fee' | 'test'>;

export type FundStep = 'freeze' | 'approve' | 'release';

export function fundIdempotencyKey(requestId: string, step: FundStep): string {
  return `fund:${requestId}:${step}`;
}

const KIND: Record<FundRequest['kind'], Record<FundStep, string>> = {
  RECHARGE: { freeze: 'RECHARGE_FREEZE', approve: 'RECHARGE', release: 'RECHARGE_RELEASE' },
  WITHDRAWAL: { freeze: 'WITHDRAWAL_FREEZE', approve: 'WITHDRAWAL', release: 'WITHDRAWAL_RELEASE' },
  TRANSFER: { freeze: 'TRANSFER_FREEZE', approve: 'TRANSFER', release: 'TRANSFER_RELEASE' },
};

/** True when the kind freezes money at creation (and so must release it when the request does not go through). */
export function freezesAtCreation(kind: FundRequest['kind']): boolean {
  return kind === 'WITHDRAWAL' || kind === 'TRANSFER';
}

async function post(tx: Tx, r: Money, step: FundStep, actor: AuditActor, at: Date | undefined, lines: PostingLine[], note?: string | null) {
  const kind = KIND[r.kind][step];
  return postTransaction(tx, {
    kind,
    idempotencyKey: fundIdempotencyKey(r.id, step),
    test: r.test,
    referenceType: FUND_REFERENCE,
    referenceId: r.id,
    description: `${kind} ${r.requestNo}${note ? `: ${note}` : ''}`,
    actorType: actor.type,
    ...(actor.id ? { actorId: actor.id } : {}),
    ...(at ? { occurredAt: at } : {}),
    lines,
  });
}

/** Creation of a withdrawal or transfer: amount + fee from AVAILABLE to FROZEN. */
export async function freezeFundRequest(tx: Tx, r: Money, actor: AuditActor, at?: Date): Promise<string> {
  if (!freezesAtCreation(r.kind)) throw new Error(`a ${r.kind} does not freeze funds`);
  const total = r.amount + r.fee;
  const result = await post(tx, r, 'freeze', actor, at, [
    { account: merchantAccount(r.merchantId, r.currencyCode, 'AVAILABLE'), amount: -total },
    { account: merchantAccount(r.merchantId, r.currencyCode, 'FROZEN'), amount: total },
  ]);
  return result.transactionId;
}

/** Approval: the money moves (see the table above). */
export async function settleFundRequest(tx: Tx, r: Money, actor: AuditActor, at?: Date, note?: string | null): Promise<string> {
  const c = r.currencyCode;
  let lines: PostingLine[];
  if (r.kind === 'RECHARGE') {
    lines = [
      { account: platformAccount(c, 'CLEARING'), amount: -r.amount },
      { account: merchantAccount(r.merchantId, c, 'AVAILABLE'), amount: r.amount - r.fee },
      { account: platformAccount(c, 'FEES'), amount: r.fee },
    ];
  } else if (r.kind === 'WITHDRAWAL') {
    lines = [
      { account: merchantAccount(r.merchantId, c, 'FROZEN'), amount: -(r.amount + r.fee) },
      { account: platformAccount(c, 'FEES'), amount: r.fee },
      { account: platformAccount(c, 'CLEARING'), amount: r.amount },
    ];
  } else {
    if (!r.targetMerchantId) throw new Error(`transfer ${r.requestNo} has no target merchant`);
    lines = [
      { account: merchantAccount(r.merchantId, c, 'FROZEN'), amount: -(r.amount + r.fee) },
      { account: merchantAccount(r.targetMerchantId, c, 'AVAILABLE'), amount: r.amount },
      { account: platformAccount(c, 'FEES'), amount: r.fee },
    ];
  }
  return (await post(tx, r, 'approve', actor, at, lines, note)).transactionId;
}

/** Rejection or cancellation of a withdrawal or transfer: the frozen amount + fee goes back to AVAILABLE. */
export async function releaseFundRequest(tx: Tx, r: Money, actor: AuditActor, at?: Date, note?: string | null): Promise<string> {
  const total = r.amount + r.fee;
  const result = await post(
    tx,
    r,
    'release',
    actor,
    at,
    [
      { account: merchantAccount(r.merchantId, r.currencyCode, 'FROZEN'), amount: -total },
      { account: merchantAccount(r.merchantId, r.currencyCode, 'AVAILABLE'), amount: total },
    ],
    note,
  );
  return result.transactionId;
}
