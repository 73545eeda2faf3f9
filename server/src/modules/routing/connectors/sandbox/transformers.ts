import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { formatAmount, parseAmount } from '../../../../lib/money.ts';
import type { CallbackHeaders, CreatedPayin, ParsedCallback, PayinRequest, UpstreamPayment, UpstreamPayoutStatus, UpstreamStatus } from '../connector.ts';

/**
 * The sandbox upstream's wire format — the only code that knows it.
 *
 * Callback: `POST <callback url>` with a JSON body
 *   { "event_id": "evt_…", "event": "payment.succeeded" | "payment.failed" | "payment.reversed",
 *     "merchant_order_no": "<our order number>", "upstream_ref": "SBX…", "currency": "THB",
 *     "transactions": [{ "txn_id": "…", "amount": "150.00", "paid_at": "<ISO>" }],
 *     "reason": "…" (failed only), "created_at": "<ISO>" }
 * and headers `X-Sandbox-Timestamp: <unix seconds>`,
 * `X-Sandbox-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.
 * Amounts are decimal strings with the currency's digits.
 *
 * Payout events use the same envelope with "event": "payout.succeeded" | "payout.failed" |
 * "payout.reversed" | "payout.sent_to_bank", "merchant_order_no" = our payout number, no transactions.
 */

export const SIGNATURE_HEADER = 'x-sandbox-signature';
export const TIMESTAMP_HEADER = 'x-sandbox-timestamp';

export type SandboxPayinEvent = 'payment.succeeded' | 'payment.failed' | 'payment.reversed';
export type SandboxPayoutEvent = 'payout.succeeded' | 'payout.failed' | 'payout.reversed' | 'payout.sent_to_bank';
export type SandboxEventName = SandboxPayinEvent | SandboxPayoutEvent;

export interface SandboxEvent {
  eventId: string;
  event: SandboxEventName;
  orderNo: string;
  upstreamRef: string | null;
  currency: string;
  transactions: UpstreamPayment[];
  reason?: string;
  createdAt: Date;
}

const STATUS_OF: Record<SandboxPayinEvent, UpstreamStatus> = {
  'payment.succeeded': 'PAID',
  'payment.failed': 'FAILED',
  'payment.reversed': 'REVERSED',
};

const PAYOUT_STATUS_OF: Record<SandboxPayoutEvent, UpstreamPayoutStatus> = {
  'payout.succeeded': 'SUCCEEDED',
  'payout.failed': 'FAILED',
  'payout.reversed': 'REVERSED',
  'payout.sent_to_bank': 'PROCESSING',
};

// ---------------------------------------------------------------------------------------------------
// Create payin → instructions

/** Deterministic per (channel, order): the same order always shows the same account or address. */
export function toCreatedPayin(
  order: PayinRequest,
  channel: { id: string; name: string },
  opts: { bankName?: string; accountName?: string } = {},
): CreatedPayin {
  const seed = createHash('sha256').update(`${channel.id}:${order.orderNo}`).digest();
  const upstreamRef = `SBX${seed.subarray(0, 10).toString('hex').toUpperCase()}`;
  const amount = formatAmount(order.amount, order.digits);
  if (order.serviceKind === 'CRYPTO' || order.chain) {
    const address = order.orderType === 'MERCHANT_ORDER' && order.toAddress ? order.toAddress : fakeTronAddress(seed);
    return { upstreamRef, instructions: { type: 'crypto', chain: order.chain ?? 'TRON', address, amount, currency: order.currency } };
  }
  const accountNumber = BigInt(`0x${seed.subarray(10, 18).toString('hex')}`).toString().padStart(12, '0').slice(-12);
  return {
    upstreamRef,
    instructions: {
      type: 'bank',
      bankName: opts.bankName ?? 'Payrail Sandbox Bank',
      accountName: opts.accountName ?? channel.name,
      accountNumber,
      reference: order.orderNo.slice(-10),
      amount,
      currency: order.currency,
    },
  };
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A well-formed TRON address (base58check of 0x41 + 20 bytes) derived from `seed`; it holds nothing. */
export function fakeTronAddress(seed: Buffer): string {
  const payload = Buffer.concat([Buffer.from([0x41]), createHash('sha256').update(seed).digest().subarray(0, 20)]);
  const checksum = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest().subarray(0, 4);
  return base58(Buffer.concat([payload, checksum]));
}

function base58(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Callbacks

export function encodeCallback(event: SandboxEvent, digits: number): string {
  return JSON.stringify({
    event_id: event.eventId,
    event: event.event,
    merchant_order_no: event.orderNo,
    upstream_ref: event.upstreamRef,
    currency: event.currency,
    transactions: event.transactions.map((t) => ({ txn_id: t.txnId, amount: formatAmount(t.amount, digits), paid_at: t.paidAt.toISOString() })),
    ...(event.reason ? { reason: event.reason } : {}),
    created_at: event.createdAt.toISOString(),
  });
}

export function signatureOf(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function signCallback(secret: string, body: string, now = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { 'content-type': 'application/json', [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signatureOf(secret, timestamp, body) };
}

/**
 * Verifies and decodes a sandbox callback. `secret` null (channel without credentials) refuses to
 * verify. Never throws: anything wrong gives `verified: false` (bad signature) or a reason.
 */
export function decodeCallback(rawBody: string, headers: CallbackHeaders, secret: string | null, digits: number): ParsedCallback {
  const bodyKey = `body:${createHash('sha256').update(rawBody).digest('hex')}`;
  const unverified = (reason: string): ParsedCallback => ({ verified: false, eventKey: bodyKey, orderRef: null, status: null, payments: [], reason });
  if (secret === null || secret === '') return unverified('channel has no credentials');
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (!timestamp || !/^[0-9]{1,15}$/.test(timestamp) || !signature) return unverified('missing signature headers');
  const expected = Buffer.from(signatureOf(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return unverified('signature does not verify');

  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { verified: true, eventKey: bodyKey, orderRef: null, status: null, payments: [], reason: 'body is not JSON' };
  }
  const b = (body ?? {}) as Record<string, unknown>;
  const eventKey = typeof b.event_id === 'string' && b.event_id.length > 0 && b.event_id.length <= 120 ? `event:${b.event_id}` : bodyKey;
  const orderRef = typeof b.merchant_order_no === 'string' ? b.merchant_order_no : null;
  if (typeof b.event === 'string' && Object.hasOwn(PAYOUT_STATUS_OF, b.event)) {
    const payoutStatus = PAYOUT_STATUS_OF[b.event as SandboxPayoutEvent];
    return {
      verified: true,
      subject: 'payout',
      eventKey,
      orderRef,
      status: null,
      payoutStatus,
      payments: [],
      ...(typeof b.reason === 'string' ? { reason: b.reason } : {}),
      ...(orderRef ? {} : { reason: 'unknown event or order' }),
    };
  }
  const status = typeof b.event === 'string' && Object.hasOwn(STATUS_OF, b.event) ? STATUS_OF[b.event as SandboxPayinEvent] : undefined;
  if (!status || !orderRef) return { verified: true, eventKey, orderRef, status: null, payments: [], reason: 'unknown event or order' };
  try {
    const payments = (Array.isArray(b.transactions) ? b.transactions : []).map((t: unknown) => {
      const x = (t ?? {}) as Record<string, unknown>;
      const paidAt = new Date(String(x.paid_at));
      if (typeof x.txn_id !== 'string' || x.txn_id === '' || x.txn_id.length > 128) throw new Error('bad txn_id');
      if (typeof x.amount !== 'string' || Number.isNaN(paidAt.getTime())) throw new Error('bad transaction');
      return { txnId: x.txn_id, amount: parseAmount(x.amount, digits), paidAt };
    });
    return { verified: true, eventKey, orderRef, status, payments, ...(typeof b.reason === 'string' ? { reason: b.reason } : {}) };
  } catch (error) {
    return { verified: true, eventKey, orderRef, status: null, payments: [], reason: `malformed transactions: ${(error as Error).message}` };
  }
}

function header(headers: CallbackHeaders, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
