import type { Tx } from '../../../db/prisma.ts';
import type { FundRequestStatus } from '../../../generated/prisma/enums.ts';
import type { AuditActor } from '../../audit/audit.service.ts';
import { currencyDigits } from '../../catalog/catalog.service.ts';
import { freezesAtCreation, releaseFundRequest } from '../funds.ledger.ts';
import { toFundRequestObject } from '../funds.presenter.ts';
import { assertFundTransition } from '../funds.state.ts';
import { lockForDecision, transitionFundRequest, type FundRequestKey, type FundServices } from '../funds.transition.ts';
import type { FundDecisionInput } from './approve-fund-request.ts';
import { optionalText, requiredText, type FundRequestResult } from './create-fund-request.ts';
import { inTransaction, type Outbox } from '../../shared/process.ts';

/**
 * A NEW request that does not go through:
 *   rejectFundRequest  finance refuses it (seed 002 "Rejected"); a note is required
 *   cancelFundRequest  the requesting merchant withdraws its own request
 * Either way the frozen amount + fee of a withdrawal or transfer goes back to AVAILABLE (key
 * `fund:<id>:release`); a recharge had moved nothing. Same transaction shape as approval; anything but
 * NEW is INVALID_TRANSITION (e.g. cancelling after approval).
 */

export function rejectFundRequest(services: FundServices, input: FundDecisionInput): Promise<FundRequestResult> {
  return inTransaction(services, (tx, outbox) => rejectFundRequestInTx(tx, outbox, input));
}

export async function rejectFundRequestInTx(tx: Tx, outbox: Outbox, input: FundDecisionInput): Promise<FundRequestResult> {
  const note = requiredText(input.note, 'note', 1000);
  return close(tx, outbox, input.request, 'REJECTED', input.actor, note, input.at, null);
}

export interface CancelFundRequestInput {
  request: FundRequestKey;
  /** The requesting merchant: only it may cancel (another merchant's request is FUND_REQUEST_NOT_FOUND). */
  merchantId: string;
  actor: AuditActor;
  /** Optional reason, at most 1000 characters. */
  note?: string | null;
  at?: Date;
}

export function cancelFundRequest(services: FundServices, input: CancelFundRequestInput): Promise<FundRequestResult> {
  return inTransaction(services, (tx, outbox) => cancelFundRequestInTx(tx, outbox, input));
}

export async function cancelFundRequestInTx(tx: Tx, outbox: Outbox, input: CancelFundRequestInput): Promise<FundRequestResult> {
  const note = optionalText(input.note, 'note', 1000);
  return close(tx, outbox, input.request, 'CANCELLED', input.actor, note, input.at, input.merchantId);
}

async function close(
  tx: Tx,
  outbox: Outbox,
  key: FundRequestKey,
  to: Extract<FundRequestStatus, 'REJECTED' | 'CANCELLED'>,
  actor: AuditActor,
  note: string | null,
  at: Date | undefined,
  merchantId: string | null,
): Promise<FundRequestResult> {
  const current = await lockForDecision(tx, key, merchantId);
  assertFundTransition(current.status, to);
  const when = at ?? new Date();
  const transactionId = freezesAtCreation(current.kind) ? await releaseFundRequest(tx, current, actor, when, note) : null;
  const review = to === 'REJECTED';
  const updated = await transitionFundRequest(
    tx,
    outbox,
    current,
    to,
    {
      actor,
      action: review ? 'fund_request.reject' : 'fund_request.cancel',
      extra: { ...(transactionId ? { ledgerTransactionId: transactionId } : {}), ...(!review && note ? { cancelReason: note } : {}) },
      // A cancellation is the merchant's act: finance's review fields stay empty; its reason is in the audit row.
      patch: review ? { reviewNote: note, reviewedById: actor.type === 'USER' ? (actor.id ?? null) : null, reviewedAt: when, updatedAt: when } : { updatedAt: when },
    },
  );
  return { request: updated, object: toFundRequestObject(updated, await currencyDigits(tx, updated.currencyCode)), transactionId };
}
