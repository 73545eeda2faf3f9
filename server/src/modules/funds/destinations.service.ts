import type { Db, PrismaClient, Tx } from '../../db/prisma.ts';
import type { MerchantDestination } from '../../generated/prisma/client.ts';
import type { DestinationKind } from '../../generated/prisma/enums.ts';
import { DomainError } from '../../lib/errors.ts';
import { recordAudit, type AuditActor } from '../audit/audit.service.ts';
import {
  CurrencyNotSupportedError,
  DestinationInUseError,
  DestinationLimitError,
  DestinationNotFoundError,
  InvalidParameterError,
  MerchantNotFoundError,
} from './funds.errors.ts';
import { destinationAuditView, isUuid } from './funds.transition.ts';

/**
 * A merchant's stored withdrawal destinations (seed 000 "withdrawal to a bank account or crypto address").
 * A withdrawal names one of them, and its currency must be the destination's.
 *
 * Deleting a destination that a NEW withdrawal still pays out to is refused (DESTINATION_IN_USE); one
 * used only by decided requests may be deleted: the foreign key then clears `destinationId` on those
 * requests, and the destination's details stay in the audit log (creation, every withdrawal's audit row
 * and the deletion all carry them).
 */

export const MAX_DESTINATIONS_PER_MERCHANT = 50;

/** Crypto chains we accept addresses for, with the address format of each. */
export const CRYPTO_CHAINS: Readonly<Record<string, RegExp>> = {
  TRON: /^T[1-9A-HJ-NP-Za-km-z]{33}$/,
  ETH: /^0x[0-9a-fA-F]{40}$/,
  BSC: /^0x[0-9a-fA-F]{40}$/,
  POLYGON: /^0x[0-9a-fA-F]{40}$/,
  ARBITRUM: /^0x[0-9a-fA-F]{40}$/,
  SOLANA: /^[1-9A-HJ-NP-Za-km-z]{32,44}$/,
  BTC: /^(bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})$/,
};

const ACCOUNT_NUMBER = /^[A-Za-z0-9]{4,34}$/;

export type CreateDestinationInput =
  | {
      merchantId: string;
      kind: 'BANK';
      currency: string;
      label?: string | null;
      bankName: string;
      accountName: string;
      /** Spaces and dashes are removed; then 4–34 letters or digits (covers IBANs). */
      accountNumber: string;
    }
  | {
      merchantId: string;
      kind: 'CRYPTO';
      currency: string;
      label?: string | null;
      /** One of CRYPTO_CHAINS (case-insensitive), e.g. TRON. */
      chain: string;
      address: string;
    };

/** Validates and stores a destination; audited as `destination.create`. One transaction. */
export function createDestination(prisma: PrismaClient, input: CreateDestinationInput, actor: AuditActor): Promise<MerchantDestination> {
  return prisma.$transaction((tx) => createDestinationInTx(tx, input, actor));
}

/** createDestination inside the caller's transaction. */
export async function createDestinationInTx(tx: Tx, input: CreateDestinationInput, actor: AuditActor): Promise<MerchantDestination> {
  const merchant = isUuid(input.merchantId)
    ? await tx.merchant.findUnique({ where: { id: input.merchantId }, select: { id: true } })
    : null;
  if (!merchant) throw new MerchantNotFoundError();
  const code = typeof input.currency === 'string' ? input.currency.trim().toUpperCase() : '';
  const currency = code ? await tx.currency.findUnique({ where: { code }, select: { code: true, crypto: true, status: true } }) : null;
  if (!currency || currency.status !== 'ENABLED') throw new CurrencyNotSupportedError(String(input.currency));
  const kind: DestinationKind = input.kind;
  if (kind !== 'BANK' && kind !== 'CRYPTO') throw new InvalidParameterError('kind', 'must be BANK or CRYPTO');
  if (kind === 'CRYPTO' && !currency.crypto) throw new InvalidParameterError('currency', `${currency.code} is not a crypto currency`);
  if (kind === 'BANK' && currency.crypto) throw new InvalidParameterError('currency', `${currency.code} cannot be paid to a bank account`);

  let data: Pick<MerchantDestination, 'label' | 'bankName' | 'accountName' | 'accountNumber' | 'chain' | 'address'>;
  if (input.kind === 'BANK') {
    const bankName = text(input.bankName, 'bankName', 128);
    const accountName = text(input.accountName, 'accountName', 128);
    const accountNumber = String(input.accountNumber ?? '').replace(/[\s-]/g, '');
    if (!ACCOUNT_NUMBER.test(accountNumber)) throw new InvalidParameterError('accountNumber', '4 to 34 letters or digits');
    const label = optionalText(input.label, 'label', 100) ?? `${bankName} ••${accountNumber.slice(-4)}`.slice(0, 100);
    data = { label, bankName, accountName, accountNumber, chain: null, address: null };
  } else {
    const chain = String(input.chain ?? '').trim().toUpperCase();
    const pattern = CRYPTO_CHAINS[chain];
    if (!pattern) throw new InvalidParameterError('chain', `unsupported chain (one of ${Object.keys(CRYPTO_CHAINS).join(', ')})`);
    const address = String(input.address ?? '').trim();
    if (!pattern.test(address)) throw new InvalidParameterError('address', `not a ${chain} address`);
    const label = optionalText(input.label, 'label', 100) ?? `${currency.code} ${chain} ${address.slice(0, 4)}…${address.slice(-4)}`;
    data = { label, bankName: null, accountName: null, accountNumber: null, chain, address };
  }

  // Serialise creations of one merchant so the limit and the duplicate check hold under concurrency
  // (NO KEY UPDATE does not block the foreign-key checks of rows that reference the merchant).
  await tx.$queryRaw`SELECT id FROM merchants WHERE id = ${input.merchantId}::uuid FOR NO KEY UPDATE`;
  const existing = await tx.merchantDestination.findMany({
    where: { merchantId: input.merchantId },
    select: { kind: true, currencyCode: true, accountNumber: true, chain: true, address: true },
  });
  if (existing.length >= MAX_DESTINATIONS_PER_MERCHANT) throw new DestinationLimitError(MAX_DESTINATIONS_PER_MERCHANT);
  const duplicate = existing.some(
    (d) =>
      d.kind === kind &&
      d.currencyCode === currency.code &&
      (kind === 'BANK' ? d.accountNumber === data.accountNumber : d.chain === data.chain && d.address === data.address),
  );
  if (duplicate) {
    throw new DomainError('DESTINATION_DUPLICATE', 'this destination is already stored', { field: kind === 'BANK' ? 'accountNumber' : 'address' });
  }
  const created = await tx.merchantDestination.create({ data: { merchantId: input.merchantId, kind, currencyCode: currency.code, ...data } });
  await recordAudit(tx, actor, {
    action: 'destination.create',
    merchantId: created.merchantId,
    entityType: 'MerchantDestination',
    entityId: created.id,
    after: destinationAuditView(created),
  });
  return created;
}

/** A merchant's destinations, newest first; optionally of one currency. */
export function listDestinations(db: Db, merchantId: string, filter: { currency?: string | null } = {}): Promise<MerchantDestination[]> {
  if (!isUuid(merchantId)) return Promise.resolve([]);
  return db.merchantDestination.findMany({
    where: { merchantId, ...(filter.currency ? { currencyCode: filter.currency } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
}

/** One destination of a merchant, or DESTINATION_NOT_FOUND. */
export async function getDestination(db: Db, merchantId: string, destinationId: string): Promise<MerchantDestination> {
  const d = isUuid(destinationId) ? await db.merchantDestination.findUnique({ where: { id: destinationId } }) : null;
  if (!d || d.merchantId !== merchantId) throw new DestinationNotFoundError(destinationId);
  return d;
}

/** Deletes a destination of the merchant; audited as `destination.delete`. See the module note on history. One transaction. */
export function deleteDestination(prisma: PrismaClient, input: { merchantId: string; destinationId: string }, actor: AuditActor): Promise<void> {
  return prisma.$transaction((tx) => deleteDestinationInTx(tx, input, actor));
}

/** deleteDestination inside the caller's transaction. */
export async function deleteDestinationInTx(tx: Tx, input: { merchantId: string; destinationId: string }, actor: AuditActor): Promise<void> {
  if (!isUuid(input.destinationId) || !isUuid(input.merchantId)) throw new DestinationNotFoundError(input.destinationId);
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM merchant_destinations WHERE id = ${input.destinationId}::uuid AND "merchantId" = ${input.merchantId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new DestinationNotFoundError(input.destinationId);
  const pending = await tx.fundRequest.findFirst({ where: { destinationId: input.destinationId, status: 'NEW' }, select: { requestNo: true } });
  if (pending) throw new DestinationInUseError(input.destinationId, pending.requestNo);
  const deleted = await tx.merchantDestination.delete({ where: { id: input.destinationId } });
  await recordAudit(tx, actor, {
    action: 'destination.delete',
    merchantId: deleted.merchantId,
    entityType: 'MerchantDestination',
    entityId: deleted.id,
    before: destinationAuditView(deleted),
  });
}

function text(value: unknown, field: string, max: number): string {
  const v = typeof value === 'string' ? value.trim() : '';
  if (v === '') throw new InvalidParameterError(field, 'required');
  if (v.length > max) throw new InvalidParameterError(field, `at most ${max} characters`);
  return v;
}

function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  const v = typeof value === 'string' ? value.trim() : '';
  if (v === '') return null;
  if (v.length > max) throw new InvalidParameterError(field, `at most ${max} characters`);
  return v;
}
