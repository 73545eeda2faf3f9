import { createHash } from 'node:crypto';
import { DomainError } from '../../lib/errors.ts';
import { InvalidParameterError } from '../payins/payins.errors.ts';
import { parsePayinAmount } from '../payins/payins.params.ts';

/**
 * Validation of the payout fields (REST-CONTRACT "Payout fields") into a normalised form, the recipient
 * checks per service (seed 001: each service names its required recipient fields), and the request
 * hash idempotency compares. Pure: no database.
 *
 * `null`, absent and `""` mean "not given"; lengths count characters; currency and chain upper-cased.
 * `user_id` (the recipient's id in the merchant's system, the "label" of seed 002) is accepted as for payins.
 */

export const RECIPIENT_FIELDS = ['recipient_name', 'recipient_account', 'bank_code', 'recipient_phone', 'recipient_id_number'] as const;
export type RecipientField = (typeof RECIPIENT_FIELDS)[number];

const RECIPIENT_FIELD_MAX: Record<RecipientField, number> = {
  recipient_name: 128,
  recipient_account: 128,
  bank_code: 32,
  recipient_phone: 32,
  recipient_id_number: 64,
};

export interface PayoutFields {
  out_trade_no: string;
  service: string | null;
  currency: string;
  chain: string | null;
  description: string | null;
  attach: string | null;
  notify_url: string | null;
  user_id: string | null;
  recipient: Record<RecipientField, string | null>;
  rawAmount: string | number;
}

const OUT_TRADE_NO = /^[A-Za-z0-9_-]{1,64}$/;
const CODE = /^[A-Za-z0-9_-]{1,64}$/;
const CURRENCY = /^[A-Za-z0-9]{2,10}$/;
const CHAIN = /^[A-Za-z0-9_-]{1,32}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const BANK_CODE = /^[A-Za-z0-9_.-]{2,32}$/;
const PHONE = /^\+?[0-9][0-9 -]{5,30}$/;
const ID_NUMBER = /^[A-Za-z0-9./-]{4,64}$/;
const TRON_ADDRESS = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;

export function parsePayoutFields(params: Record<string, unknown>): PayoutFields {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new InvalidParameterError('body', 'must be an object');
  const outTradeNo = params.out_trade_no;
  if (typeof outTradeNo !== 'string' || !OUT_TRADE_NO.test(outTradeNo)) {
    throw new InvalidParameterError('out_trade_no', 'required, 1 to 64 characters of A-Z a-z 0-9 _ -');
  }
  const service = optionalString(params, 'service', 64);
  if (service !== null && !CODE.test(service)) throw new InvalidParameterError('service', 'must be a service code such as THB_BANK_PAYOUT');
  const currency = params.currency;
  if (typeof currency !== 'string' || !CURRENCY.test(currency)) throw new InvalidParameterError('currency', 'required, a currency code');
  const chain = optionalString(params, 'chain', 32);
  if (chain !== null && !CHAIN.test(chain)) throw new InvalidParameterError('chain', 'must be a chain name such as TRON');

  const amount = params.amount;
  if (amount === undefined || amount === null || amount === '') throw new DomainError('INVALID_AMOUNT', 'amount: required', { field: 'amount' });
  if (typeof amount !== 'string' && typeof amount !== 'number') {
    throw new DomainError('INVALID_AMOUNT', 'amount: must be a decimal string or a number', { field: 'amount' });
  }

  const recipient = {} as Record<RecipientField, string | null>;
  for (const field of RECIPIENT_FIELDS) {
    const value = optionalString(params, field, RECIPIENT_FIELD_MAX[field]);
    recipient[field] = value === null ? null : value.trim() || null;
  }
  const userId =
    typeof params.user_id === 'number' && Number.isSafeInteger(params.user_id) ? String(params.user_id) : optionalString(params, 'user_id', 128);

  return {
    out_trade_no: outTradeNo,
    service,
    currency: currency.toUpperCase(),
    chain: chain === null ? null : chain.toUpperCase(),
    description: optionalString(params, 'description', 256),
    attach: optionalString(params, 'attach', 512),
    notify_url: optionalUrl(params, 'notify_url'),
    user_id: userId,
    recipient,
    rawAmount: amount,
  };
}

/** Amount with the currency's digits, positive; errors carry `field: "amount"`. */
export const parsePayoutAmount = parsePayinAmount;

/**
 * Recipient checks for a service: every field the service requires is present, and the given ones are
 * well-formed for the service's kind (a TRON address for crypto on TRON, a bank code, a phone number …).
 * Throws INVALID_PARAMETER naming the first bad field.
 */
export function validateRecipient(
  recipient: Record<RecipientField, string | null>,
  service: { code: string; kind: string; chain: string | null; requiredFields: readonly string[] },
): void {
  for (const field of RECIPIENT_FIELDS) {
    if (service.requiredFields.includes(field) && !recipient[field]) throw new InvalidParameterError(field, `required by service ${service.code}`);
  }
  const { recipient_name: name, recipient_account: account, bank_code: bankCode, recipient_phone: phone, recipient_id_number: idNumber } = recipient;
  if (name !== null && CONTROL.test(name)) throw new InvalidParameterError('recipient_name', 'must not contain control characters');
  if (account !== null) {
    if (CONTROL.test(account) || /\s{2,}/.test(account)) throw new InvalidParameterError('recipient_account', 'must be an account number or address');
    if (service.kind === 'CRYPTO' && (service.chain ?? '').toUpperCase() === 'TRON' && !TRON_ADDRESS.test(account)) {
      throw new InvalidParameterError('recipient_account', 'must be a TRON address (T followed by 33 base58 characters)');
    }
    if ((service.kind === 'BANK_CARD' || service.kind === 'BANK_TRANSFER') && !/^[0-9A-Za-z -]{4,64}$/.test(account)) {
      throw new InvalidParameterError('recipient_account', 'must be a bank account number (4 to 64 letters, digits, spaces or dashes)');
    }
  }
  if (bankCode !== null && !BANK_CODE.test(bankCode)) throw new InvalidParameterError('bank_code', 'must be a bank code (2 to 32 letters, digits, _ . -)');
  if (phone !== null && !PHONE.test(phone)) throw new InvalidParameterError('recipient_phone', 'must be a phone number');
  if (idNumber !== null && !ID_NUMBER.test(idNumber)) throw new InvalidParameterError('recipient_id_number', 'must be an ID number (4 to 64 letters, digits, . / -)');
}

/** sha256 over the normalised parameters; the same payout given as `150` or `"150.00"` is one request. */
export function payoutRequestHash(fields: PayoutFields, amount: bigint, test: boolean): string {
  const canonical = [
    'payout',
    fields.out_trade_no,
    fields.service,
    fields.currency,
    fields.chain,
    amount.toString(),
    fields.description,
    fields.attach,
    fields.notify_url,
    fields.user_id,
    ...RECIPIENT_FIELDS.map((f) => fields.recipient[f]),
    test,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
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
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) throw new InvalidParameterError(field, 'must be an absolute http or https URL');
  return value;
}
