import type { Db, Prisma, PrismaClient, Tx } from '../../db/prisma.ts';
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
 * The one way a fund request is written: every operation runs in `runFundTransaction`, which publishes
 * the logged changes on 'fund_request:changed' only after the transaction commits. A decision locks
 * the request row (`lockFundRequest`, SELECT … FOR UPDATE), so two finance users approving the same
 * request at once are serialised: the second sees APPROVED and gets INVALID_TRANSITION.
 */

export interface FundServices {
  prisma: PrismaClient;
  events: EventBus;
}

export type FundChange = FundRequestChanged;
export type FundChangeLog = FundChange[];

export const FUND_TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

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

/** Runs `fn` in one transaction; publishes what it logged after commit (never before, never on rollback). */
export async function runFundTransaction<T>(services: FundServices, fn: (tx: Tx, changes: FundChangeLog) => Promise<T>): Promise<T> {
  const changes: FundChangeLog = [];
  const result = await services.prisma.$transaction((tx) => fn(tx, changes), FUND_TX_OPTIONS);
  for (const change of changes) services.events.publish('fund_request:changed', change);
  return result;
}

export function fundChange(r: Pick<FundRequest, 'id' | 'merchantId' | 'targetMerchantId' | 'kind' | 'status'>): FundChange {
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
  let rows: { id: string }[];
  if ('id' in key) {
    if (!isUuid(key.id)) return null;
    rows = await tx.$queryRaw`SELECT id FROM fund_requests WHERE id = ${key.id}::uuid FOR UPDATE`;
  } else {
    rows = await tx.$queryRaw`SELECT id FROM fund_requests WHERE "requestNo" = ${key.requestNo} FOR UPDATE`;
  }
  const id = rows[0]?.id;
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

/** Status change of a locked request: transition check, update, audit row, change log. Returns the reloaded request. */
export async function transitionFundRequest(
  tx: Tx,
  changes: FundChangeLog,
  current: LoadedFundRequest,
  to: FundRequestStatus,
  audit: { actor: AuditActor; action: string; extra?: Prisma.InputJsonObject },
  patch: TransitionPatch = {},
): Promise<LoadedFundRequest> {
  assertFundTransition(current.status, to);
  const updated = await tx.fundRequest.update({
    where: { id: current.id },
    data: { ...patch, status: to },
    include: FUND_REQUEST_INCLUDE,
  });
  const digits = await currencyDigits(tx, updated.currencyCode);
  await recordAudit(tx, audit.actor, {
    action: audit.action,
    merchantId: updated.merchantId,
    entityType: 'FundRequest',
    entityId: updated.id,
    before: { status: current.status },
    after: { ...fundRequestAuditView(updated, digits), ...audit.extra },
  });
  changes.push(fundChange(updated));
  return updated;
}

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
