import { createHash } from 'node:crypto';
import { DomainError } from '../../lib/errors.ts';
import { MoneyParseError, parseAmount } from '../../lib/money.ts';
import { InvalidParameterError } from './payins.errors.ts';

/**
 * Validation of the prepayment fields (REST-CONTRACT "Prepayment fields", seed 003) into a normalised
 * form, and the request hash that idempotency compares. Pure: no database.
 *
 * Conventions: `null`, absent and `""` mean "not given" for optional fields; strings are length-checked
 * in characters (code points, as PostgreSQL VARCHAR counts); currency and chain are upper-cased.
 * Unknown fields (mch_id, app_id …) are ignored here.
 */

export const PAYER_FIELDS = ['payer_name', 'payer_account', 'bank_code', 'payer_phone', 'payer_id_number', 'remark_code'] as const;
export type PayerField = (typeof PAYER_FIELDS)[number];

/** Column limits of the payer fields (prisma/schema.prisma). */
export const PAYER_FIELD_MAX: Record<PayerField, number> = {
  payer_name: 128,
  payer_account: 64,
  bank_code: 32,
  payer_phone: 32,
  payer_id_number: 64,
  remark_code: 32,
};

export const DEFAULT_EXPIRE_SECONDS = 3600;
export const MIN_EXPIRE_SECONDS = 60;
export const MAX_EXPIRE_SECONDS = 86_400;

export type Locale = 'zh_cn' | 'en';
export type PayinOrderType = 'platform_order' | 'merchant_order';

export interface PrepaymentFields {
  out_trade_no: string;
  service: string | null;
  currency: string;
  chain: string | null;
  expire_second: number;
  description: string | null;
  attach: string | null;
  locale: Locale;
  notify_url: string | null;
  return_url: string | null;
  order_type: PayinOrderType;
  to_address: string | null;
  user_id: string | null;
  payer: Record<PayerField, string | null>;
  /** The amount as given; parsed once the currency's digits are known (`parsePayinAmount`). */
  rawAmount: string | number;
}

const OUT_TRADE_NO = /^[A-Za-z0-9_-]{1,64}$/;
const CODE = /^[A-Za-z0-9_-]{1,64}$/;
const CURRENCY = /^[A-Za-z0-9]{2,10}$/;
const CHAIN = /^[A-Za-z0-9_-]{1,32}$/;

export function parsePrepaymentFields(params: Record<string, unknown>): PrepaymentFields {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new InvalidParameterError('body', 'must be an object');

  const outTradeNo = params.out_trade_no;
  if (typeof outTradeNo !== 'string' || !OUT_TRADE_NO.test(outTradeNo)) {
    throw new InvalidParameterError('out_trade_no', 'required, 1 to 64 characters of A-Z a-z 0-9 _ -');
  }

  const service = optionalString(params, 'service', 64);
  if (service !== null && !CODE.test(service)) throw new InvalidParameterError('service', 'must be a service code');

  const currencyRaw = params.currency;
  if (typeof currencyRaw !== 'string' || !CURRENCY.test(currencyRaw)) throw new InvalidParameterError('currency', 'required, a currency code');
  const chainRaw = optionalString(params, 'chain', 32);
  if (chainRaw !== null && !CHAIN.test(chainRaw)) throw new InvalidParameterError('chain', 'must be a chain name such as TRON');

  const amount = params.amount;
  if (amount === undefined || amount === null || amount === '') throw new DomainError('INVALID_AMOUNT', 'amount: required', { field: 'amount' });
  if (typeof amount !== 'string' && typeof amount !== 'number') {
    throw new DomainError('INVALID_AMOUNT', 'amount: must be a decimal string or a number', { field: 'amount' });
  }

  const expire = params.expire_second;
  let expireSecond = DEFAULT_EXPIRE_SECONDS;
  if (expire !== undefined && expire !== null && expire !== '') {
    const n = typeof expire === 'string' && /^[0-9]{1,6}$/.test(expire) ? Number(expire) : expire;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_EXPIRE_SECONDS || n > MAX_EXPIRE_SECONDS) {
      throw new InvalidParameterError('expire_second', `must be an integer from ${MIN_EXPIRE_SECONDS} to ${MAX_EXPIRE_SECONDS}`);
    }
    expireSecond = n;
  }

  const locale = optionalString(params, 'locale', 10) ?? 'en';
  if (locale !== 'zh_cn' && locale !== 'en') throw new InvalidParameterError('locale', 'must be zh_cn or en');

  const orderType = optionalString(params, 'order_type', 32) ?? 'platform_order';
  if (orderType !== 'platform_order' && orderType !== 'merchant_order') {
    throw new InvalidParameterError('order_type', 'must be platform_order or merchant_order');
  }
  const toAddress = optionalString(params, 'to_address', 128);
  if (orderType === 'merchant_order' && toAddress === null) {
    throw new InvalidParameterError('to_address', 'required when order_type is merchant_order');
  }

  const userId =
    typeof params.user_id === 'number' && Number.isSafeInteger(params.user_id) ? String(params.user_id) : optionalString(params, 'user_id', 128);

  const payer = {} as Record<PayerField, string | null>;
  for (const field of PAYER_FIELDS) payer[field] = optionalString(params, field, PAYER_FIELD_MAX[field]);

  return {
    out_trade_no: outTradeNo,
    service,
    currency: currencyRaw.toUpperCase(),
    chain: chainRaw === null ? null : chainRaw.toUpperCase(),
    expire_second: expireSecond,
    description: optionalString(params, 'description', 256),
    attach: optionalString(params, 'attach', 512),
    locale,
    notify_url: optionalUrl(params, 'notify_url'),
    return_url: optionalUrl(params, 'return_url'),
    order_type: orderType,
    to_address: toAddress,
    user_id: userId,
    payer,
    rawAmount: amount,
  };
}

/** Parses the amount with the currency's digits; it must be positive. Errors carry `field: "amount"`. */
export function parsePayinAmount(raw: string | number, digits: number): bigint {
  let amount: bigint;
  try {
    amount = parseAmount(raw, digits);
  } catch (error) {
    if (error instanceof MoneyParseError) {
      throw new DomainError('INVALID_AMOUNT', `amount: ${error.message}`, { field: 'amount', reason: error.reason, digits });
    }
    throw error;
  }
  if (amount <= 0n) throw new DomainError('INVALID_AMOUNT', 'amount: must be greater than zero', { field: 'amount', reason: 'NOT_POSITIVE' });
  return amount;
}

/** Payer fields the service requires (seed 001 table) that are missing; unknown names in requiredFields are ignored. */
export function missingPayerFields(required: readonly string[], payer: Partial<Record<PayerField, string | null>>): PayerField[] {
  return PAYER_FIELDS.filter((f) => required.includes(f) && !payer[f]);
}

/**
 * sha256 over the normalised parameters (fixed key order; amount in minor units; defaults applied), so
 * `150` and `"150.00"` or an omitted `locale` and `"en"` are the same request. `test` is included: a
 * live request never matches a test order.
 */
export function prepaymentRequestHash(fields: PrepaymentFields, amount: bigint, test: boolean): string {
  const canonical = [
    fields.out_trade_no,
    fields.service,
    fields.currency,
    fields.chain,
    amount.toString(),
    fields.expire_second,
    fields.description,
    fields.attach,
    fields.locale,
    fields.notify_url,
    fields.return_url,
    fields.order_type,
    fields.to_address,
    fields.user_id,
    ...PAYER_FIELDS.map((f) => fields.payer[f]),
    test,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** Validates payer fields given to the cashier (types and lengths); returns the given ones. */
export function parsePayerFields(input: Record<string, unknown>): Partial<Record<PayerField, string>> {
  const result: Partial<Record<PayerField, string>> = {};
  for (const field of PAYER_FIELDS) {
    const value = optionalString(input, field, PAYER_FIELD_MAX[field]);
    if (value !== null) result[field] = value;
  }
  return result;
}

function optionalString(params: Record<string, unknown>, field: string, max: number): string | null {
  const value = params[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new InvalidParameterError(field, 'must be a string');
  if ([...value].length > max) throw new InvalidParameterError(field, `at most ${max} characters`);
  return value;
}

function optionalUrl(params: Record<string, unknown>, field: string): string | null {
  const value = optionalString(params, field, 1024);
  if (value === null) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidParameterError(field, 'must be an absolute http or https URL');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new InvalidParameterError(field, 'must be an absolute http or https URL');
  }
  return value;
}
