import type { Db, Prisma, PrismaClient, Tx } from '../../db/prisma.ts';
import { defineTransition, lockRowId, TX_OPTIONS } from '../shared/process.ts';
import type { FundRequest, MerchantDestination } from '../../generated/prisma/client.ts';
import type { FundRequestStatus } from '../../generated/prisma/enums.ts';
import type { EventBus } from '../../events/event-bus.ts';
import type { FundRequestChanged } from '../../events/topics.ts';
import { formatAmount } from '../../lib/money.ts';
import { recordAudit, type AuditActor } from '../audit/audit.service.ts';
import { currencyDigits } from '../catalog/catalog.service.ts';
import { FundRequestNotFoundError } from './funds.errors.ts';
import { assertFundTransition } from './funds.state.ts';

/**
 * The fund-request process on the transition kernel (modules/shared/process.ts): every operation runs
 * in `inTransaction`, whose outbox publishes 'fund_request:changed' only after commit. A decision locks
 * the request row (`lockFundRequest`, SELECT … FOR UPDATE), so two finance users approving the same
 * request at once are serialised: the second sees APPROVED and gets INVALID_TRANSITION. Its timeline
 * is the audit log: `transitionFundRequest` writes the audit row of each change.
 */

export interface FundServices {
  prisma: PrismaClient;
  events: EventBus;
}

export const FUND_TX_OPTIONS = TX_OPTIONS;

export const FUND_REQUEST_INCLUDE = {
  merchant: { select: { mchId: true, name: true } },
  targetMerchant: { select: { mchId: true, name: true } },
  destination: true,
} as const satisfies Prisma.FundRequestInclude;

export type LoadedFundRequest = FundRequest & {
  merchant: { mchId: string; name: string };
  targetMerchant: { mchId: string; name: string } | null;
  destination: MerchantDestination | null;
};

export type FundRequestKey = { id: string } | { requestNo: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function fundChange(r: Pick<FundRequest, 'id' | 'merchantId' | 'targetMerchantId' | 'kind' | 'status'>): FundRequestChanged {
  return { id: r.id, merchantId: r.merchantId, targetMerchantId: r.targetMerchantId, kind: r.kind, status: r.status };
}

function whereOf(key: FundRequestKey): Prisma.FundRequestWhereUniqueInput | null {
  if ('id' in key) return isUuid(key.id) ? { id: key.id } : null;
  return { requestNo: key.requestNo };
}

export function findFundRequest(db: Db, key: FundRequestKey): Promise<LoadedFundRequest | null> {
  const where = whereOf(key);
  return where ? db.fundRequest.findUnique({ where, include: FUND_REQUEST_INCLUDE }) : Promise.resolve(null);
}

/** Locks the request row (FOR UPDATE) in the caller's transaction and loads it; null when absent. */
export async function lockFundRequest(tx: Tx, key: FundRequestKey): Promise<LoadedFundRequest | null> {
  if ('id' in key && !isUuid(key.id)) return null;
  const id = await lockRowId(tx, 'fund_requests', key);
  return id ? findFundRequest(tx, { id }) : null;
}

/**
 * Locks a request for a decision. `merchantId` (set for merchant users) must be the requester, else
 * FUND_REQUEST_NOT_FOUND — another merchant's request is not revealed to exist.
 */
export async function lockForDecision(tx: Tx, key: FundRequestKey, merchantId?: string | null): Promise<LoadedFundRequest> {
  const request = await lockFundRequest(tx, key);
  if (!request || (merchantId && request.merchantId !== merchantId)) throw new FundRequestNotFoundError(keyDetails(key));
  return request;
}

export function keyDetails(key: FundRequestKey): Record<string, unknown> {
  return 'id' in key ? { id: key.id } : { requestNo: key.requestNo };
}

export interface TransitionPatch {
  reviewNote?: string | null;
  reviewedById?: string | null;
  reviewedAt?: Date | null;
  updatedAt?: Date;
}

export interface FundTransitionStep {
  actor: AuditActor;
  /** The audit action, e.g. FUND_REQUEST_APPROVED. */
  action: string;
  extra?: Prisma.InputJsonObject;
  patch?: TransitionPatch;
}

/** Status change of a locked request: transition check, update, audit row, announcement. Returns the reloaded request. */
export const transitionFundRequest = defineTransition<LoadedFundRequest, FundRequestStatus, FundTransitionStep>({
  assertTransition: (from, to) => assertFundTransition(from, to),
  write: (tx, current, to, step) =>
    tx.fundRequest.update({ where: { id: current.id }, data: { ...step.patch, status: to }, include: FUND_REQUEST_INCLUDE }),
  record: async (tx, before, after, step) => {
    const digits = await currencyDigits(tx, after.currencyCode);
    await recordAudit(tx, step.actor, {
      action: step.action,
      merchantId: after.merchantId,
      entityType: 'FundRequest',
      entityId: after.id,
      before: { status: before.status },
      after: { ...fundRequestAuditView(after, digits), ...step.extra },
    });
  },
  announce: (request) => ({ topic: 'fund_request:changed', event: fundChange(request) }),
});

/** A JSON-safe view of a request for audit rows (amounts as decimal strings). */
export function fundRequestAuditView(r: LoadedFundRequest, digits: number): Prisma.InputJsonObject {
  return {
    requestNo: r.requestNo,
    kind: r.kind,
    status: r.status,
    currency: r.currencyCode,
    amount: formatAmount(r.amount, digits),
    fee: formatAmount(r.fee, digits),
    ...(r.targetMerchant ? { targetMchId: r.targetMerchant.mchId } : {}),
    ...(r.destination ? { destination: destinationAuditView(r.destination) } : {}),
    ...(r.reference ? { reference: r.reference } : {}),
    ...(r.note ? { note: r.note } : {}),
    ...(r.reviewNote ? { reviewNote: r.reviewNote } : {}),
  };
}

/** The destination as it was when used (kept in the audit log even if the destination is deleted later). */
export function destinationAuditView(d: MerchantDestination): Prisma.InputJsonObject {
  return {
    id: d.id,
    kind: d.kind,
    label: d.label,
    currency: d.currencyCode,
    ...(d.kind === 'BANK' ? { bankName: d.bankName, accountName: d.accountName, accountNumber: d.accountNumber } : { chain: d.chain, address: d.address }),
  };
}
