import type { Tx } from '../../../db/prisma.ts';
import type { FundRequestKind } from '../../../generated/prisma/enums.ts';
import { DomainError } from '../../../lib/errors.ts';
import { MCH_ID_PATTERN, newOrderNo } from '../../../lib/ids.ts';
import { MAX_MINOR_UNITS, MoneyParseError, parseAmount } from '../../../lib/money.ts';
import { recordAudit, type AuditActor } from '../../audit/audit.service.ts';
import {
  CurrencyMismatchError,
  CurrencyNotSupportedError,
  DestinationNotFoundError,
  InvalidParameterError,
  MerchantNotFoundError,
  MerchantSuspendedError,
  SelfTransferError,
  TargetMerchantNotActiveError,
  TargetMerchantNotFoundError,
} from '../funds.errors.ts';
import { fundFee, readFundFeeSchedule } from '../funds.fees.ts';
import { freezeFundRequest, freezesAtCreation } from '../funds.ledger.ts';
import { toFundRequestObject, type FundRequestObject } from '../funds.presenter.ts';
import { findFundRequest, fundChange, fundRequestAuditView, isUuid, type FundServices, type LoadedFundRequest } from '../funds.transition.ts';
import { inTransaction, type Outbox } from '../../shared/process.ts';

/**
 * A merchant asks for a fund movement (seed 000 "Fund management"); finance staff decide later.
 *
 *   createRecharge    the merchant sent money to the platform's bank account (reference = its transfer
 *                     reference); nothing moves until approval
 *   createWithdrawal  pay out to one of the merchant's stored destinations (same currency); amount + fee
 *                     is frozen now (AVAILABLE → FROZEN)
 *   createTransfer    to another ACTIVE merchant by its account number (10-digit mchId), same currency,
 *                     never to itself; amount + fee is frozen now
 *
 * Validate → load → decide (fee from the `fund_fees` setting) → write (request row with a fresh
 * request number `F…`, freeze posting, audit `fund_request.create`) in one transaction → publish
 * 'fund_request:changed' after commit. The requesting merchant must be ACTIVE (MERCHANT_SUSPENDED).
 */

export interface FundRequestInputBase {
  /** The requesting merchant (for merchant users: their own merchant). */
  merchantId: string;
  /** Currency code, e.g. THB. */
  currency: string;
  /** Decimal string with at most the currency's digits, > 0 (e.g. "1500.00"). */
  amount: string;
  /** The merchant's own remark, at most 1000 characters. */
  note?: string | null;
  actor: AuditActor;
  /** A test request moves the test balances only (the admin app's "Test data" mode); default live. */
  test?: boolean;
  /** When it happened; only demo data and imports set it. Default now. */
  at?: Date;
}

export interface CreateRechargeInput extends FundRequestInputBase {
  /** Reference of the merchant's bank transfer to the platform (1–128 characters). */
  reference: string;
}

export interface CreateWithdrawalInput extends FundRequestInputBase {
  /** One of the merchant's destinations (createDestination); its currency must be `currency`. */
  destinationId: string;
}

export interface CreateTransferInput extends FundRequestInputBase {
  /** The receiving merchant's account number (its 10-digit mchId). */
  targetMchId: string;
}

export interface FundRequestResult {
  request: LoadedFundRequest;
  object: FundRequestObject;
  /** The ledger transaction of this step (the freeze); null when nothing moved. */
  transactionId: string | null;
}

const MAX_NUMBER_ATTEMPTS = 5;

export function createRecharge(services: FundServices, input: CreateRechargeInput): Promise<FundRequestResult> {
  return inTransaction(services, (tx, outbox) => createRechargeInTx(tx, outbox, input));
}

export function createWithdrawal(services: FundServices, input: CreateWithdrawalInput): Promise<FundRequestResult> {
  return inTransaction(services, (tx, outbox) => createWithdrawalInTx(tx, outbox, input));
}

export function createTransfer(services: FundServices, input: CreateTransferInput): Promise<FundRequestResult> {
  return inTransaction(services, (tx, outbox) => createTransferInTx(tx, outbox, input));
}

/** createRecharge inside the caller's transaction (the caller publishes `changes` after commit). */
export async function createRechargeInTx(tx: Tx, outbox: Outbox, input: CreateRechargeInput): Promise<FundRequestResult> {
  const reference = requiredText(input.reference, 'reference', 128);
  const base = await loadBase(tx, input);
  return write(tx, outbox, input, base, 'RECHARGE', { reference });
}

export async function createWithdrawalInTx(tx: Tx, outbox: Outbox, input: CreateWithdrawalInput): Promise<FundRequestResult> {
  const base = await loadBase(tx, input);
  if (typeof input.destinationId !== 'string' || !isUuid(input.destinationId)) throw new DestinationNotFoundError(String(input.destinationId));
  // FOR SHARE: the destination cannot be deleted while this request is being created.
  const rows = await tx.$queryRaw<{ id: string; currencyCode: string }[]>`
    SELECT id, "currencyCode" FROM merchant_destinations
    WHERE id = ${input.destinationId}::uuid AND "merchantId" = ${input.merchantId}::uuid FOR SHARE`;
  const destination = rows[0];
  if (!destination) throw new DestinationNotFoundError(input.destinationId);
  if (destination.currencyCode !== base.currency) throw new CurrencyMismatchError(destination.currencyCode, base.currency);
  return write(tx, outbox, input, base, 'WITHDRAWAL', { destinationId: destination.id });
}

export async function createTransferInTx(tx: Tx, outbox: Outbox, input: CreateTransferInput): Promise<FundRequestResult> {
  const mchId = typeof input.targetMchId === 'string' ? input.targetMchId.trim() : '';
  if (!MCH_ID_PATTERN.test(mchId)) throw new InvalidParameterError('targetMchId', 'an account number is 10 digits');
  const base = await loadBase(tx, input);
  const target = await tx.merchant.findUnique({ where: { mchId }, select: { id: true, status: true } });
  if (!target) throw new TargetMerchantNotFoundError(mchId);
  if (target.id === input.merchantId) throw new SelfTransferError();
  if (target.status !== 'ACTIVE') throw new TargetMerchantNotActiveError(mchId, target.status);
  return write(tx, outbox, input, base, 'TRANSFER', { targetMerchantId: target.id });
}

interface Base {
  currency: string;
  digits: number;
  amount: bigint;
  note: string | null;
}

async function loadBase(tx: Tx, input: FundRequestInputBase): Promise<Base> {
  const note = optionalText(input.note, 'note', 1000);
  const merchant = isUuid(input.merchantId)
    ? await tx.merchant.findUnique({ where: { id: input.merchantId }, select: { status: true } })
    : null;
  if (!merchant) throw new MerchantNotFoundError();
  if (merchant.status !== 'ACTIVE') throw new MerchantSuspendedError(merchant.status);
  const code = typeof input.currency === 'string' ? input.currency.trim().toUpperCase() : '';
  const currency = code ? await tx.currency.findUnique({ where: { code }, select: { digits: true, status: true } }) : null;
  if (!currency || currency.status !== 'ENABLED') throw new CurrencyNotSupportedError(code || String(input.currency));
  return { currency: code, digits: currency.digits, amount: parseFundAmount(input.amount, currency.digits), note };
}

/** Parses a positive amount in the currency's digits; INVALID_AMOUNT with `field: 'amount'` otherwise. */
export function parseFundAmount(amount: unknown, digits: number, field = 'amount'): bigint {
  let value: bigint;
  try {
    value = parseAmount(amount as string, digits);
  } catch (error) {
    if (error instanceof MoneyParseError) throw new MoneyParseError(error.reason, `${field}: ${error.message}`, { ...error.details, field });
    throw error;
  }
  if (value <= 0n) throw new DomainError('INVALID_AMOUNT', `${field}: must be greater than zero`, { reason: 'NOT_POSITIVE', field });
  return value;
}

async function write(
  tx: Tx,
  outbox: Outbox,
  input: FundRequestInputBase,
  base: Base,
  kind: FundRequestKind,
  extra: { reference?: string; destinationId?: string; targetMerchantId?: string },
): Promise<FundRequestResult> {
  const fee = fundFee(await readFundFeeSchedule(tx), kind, base.currency, base.amount);
  if (kind !== 'RECHARGE' && base.amount + fee > MAX_MINOR_UNITS) {
    throw new MoneyParseError('TOO_LARGE', 'amount: amount plus fee is too large', { field: 'amount' });
  }
  const at = input.at ?? new Date();
  const createdById = input.actor.type === 'USER' ? (input.actor.id ?? null) : null;

  let id: string | undefined;
  for (let attempt = 1; attempt <= MAX_NUMBER_ATTEMPTS && !id; attempt++) {
    const rows = await tx.fundRequest.createManyAndReturn({
      data: [
        {
          requestNo: newOrderNo('F', at),
          merchantId: input.merchantId,
          kind,
          status: 'NEW',
          test: input.test === true,
          currencyCode: base.currency,
          amount: base.amount,
          fee,
          reference: extra.reference ?? null,
          destinationId: extra.destinationId ?? null,
          targetMerchantId: extra.targetMerchantId ?? null,
          note: base.note,
          createdById,
          createdAt: at,
          updatedAt: at,
        },
      ],
      skipDuplicates: true,
      select: { id: true },
    });
    id = rows[0]?.id;
  }
  if (!id) throw new Error(`could not allocate a unique fund request number in ${MAX_NUMBER_ATTEMPTS} attempts`);

  const request = (await findFundRequest(tx, { id }))!;
  const transactionId = freezesAtCreation(kind) ? await freezeFundRequest(tx, request, input.actor, at) : null;
  await recordAudit(tx, input.actor, {
    action: 'fund_request.create',
    merchantId: request.merchantId,
    entityType: 'FundRequest',
    entityId: request.id,
    after: fundRequestAuditView(request, base.digits),
  });
  outbox.publish('fund_request:changed', fundChange(request));
  return { request, object: toFundRequestObject(request, base.digits), transactionId };
}

export function requiredText(value: unknown, field: string, max: number): string {
  const v = typeof value === 'string' ? value.trim() : '';
  if (v === '') throw new InvalidParameterError(field, 'required');
  if (v.length > max) throw new InvalidParameterError(field, `at most ${max} characters`);
  return v;
}

export function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new InvalidParameterError(field, 'must be text');
  const v = value.trim();
  if (v === '') return null;
  if (v.length > max) throw new InvalidParameterError(field, `at most ${max} characters`);
  return v;
}
