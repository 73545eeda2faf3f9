import type { Tx } from '../../../db/prisma.ts';
import type { AuditActor } from '../../audit/audit.service.ts';
import { currencyDigits } from '../../catalog/catalog.service.ts';
import { TargetMerchantNotActiveError } from '../funds.errors.ts';
import { settleFundRequest } from '../funds.ledger.ts';
import { toFundRequestObject } from '../funds.presenter.ts';
import { assertFundTransition } from '../funds.state.ts';
import { lockForDecision, transitionFundRequest, type FundRequestKey, type FundServices } from '../funds.transition.ts';
import { optionalText, type FundRequestResult } from './create-fund-request.ts';
import { inTransaction, type Outbox } from '../../shared/process.ts';

/**
 * Finance approves a NEW request (seed 002 "Approved"); the money moves (funds.ledger.ts):
 * a recharge credits the merchant's AVAILABLE (net of its fee) against platform CLEARING, a withdrawal
 * pays the frozen amount out through CLEARING and the fee to FEES, a transfer moves the frozen amount to
 * the target's AVAILABLE and the fee to FEES. A transfer whose target is no longer ACTIVE cannot be
 * approved (TARGET_MERCHANT_NOT_ACTIVE): reject it instead.
 *
 * One transaction: lock the row, check NEW → APPROVED (else INVALID_TRANSITION: approving twice,
 * approving a cancelled request …), post with key `fund:<id>:approve`, update, audit
 * `fund_request.approve`; publish after commit. Concurrent approvals queue on the row lock, so the money
 * moves once.
 */

export interface FundDecisionInput {
  request: FundRequestKey;
  actor: AuditActor;
  /** Finance's note (required to reject; optional to approve), at most 1000 characters. */
  note?: string | null;
  /** When it happened; only demo data and imports set it. Default now. */
  at?: Date;
}

export function approveFundRequest(services: FundServices, input: FundDecisionInput): Promise<FundRequestResult> {
  return inTransaction(services, (tx, outbox) => approveFundRequestInTx(tx, outbox, input));
}

export async function approveFundRequestInTx(tx: Tx, outbox: Outbox, input: FundDecisionInput): Promise<FundRequestResult> {
  const note = optionalText(input.note, 'note', 1000);
  const current = await lockForDecision(tx, input.request);
  assertFundTransition(current.status, 'APPROVED');
  if (current.kind === 'TRANSFER') {
    const target = current.targetMerchantId
      ? await tx.merchant.findUnique({ where: { id: current.targetMerchantId }, select: { mchId: true, status: true } })
      : null;
    if (!target || target.status !== 'ACTIVE') throw new TargetMerchantNotActiveError(target?.mchId ?? '', target?.status ?? 'CLOSED');
  }
  const at = input.at ?? new Date();
  const transactionId = await settleFundRequest(tx, current, input.actor, at, note);
  const updated = await transitionFundRequest(
    tx,
    outbox,
    current,
    'APPROVED',
    {
      actor: input.actor,
      action: 'fund_request.approve',
      extra: { ledgerTransactionId: transactionId },
      patch: { reviewNote: note, reviewedById: input.actor.type === 'USER' ? (input.actor.id ?? null) : null, reviewedAt: at, updatedAt: at },
    },
  );
  return { request: updated, object: toFundRequestObject(updated, await currencyDigits(tx, updated.currencyCode)), transactionId };
}
