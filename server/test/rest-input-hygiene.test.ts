import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCallback } from '../src/modules/routing/connectors/sandbox/transformers.ts';
import { REST_ERRORS } from '../src/rest/error-table.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { sendRaw, seededRandom, tableCounts, type RawRequest, type RawResponse, type Signing } from './support/hostile-requests.ts';
import type { MerchantClient } from './support/merchant-client.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { fundChannel, fundMerchant } from './support/payout-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Hostile input on every REST route (merchant API, upstream callbacks, the cashier's submit): NUL,
 * lone surrogates and undecodable bytes are refused with 40002 naming the field (REST-CONTRACT.md
 * "Input hygiene"), and a seeded fuzz of 10 000+ requests — many properly signed, so they reach
 * validation and domain code — never gets a 5xx, always gets a stable error, and writes nothing.
 */

const SANDBOX_SECRET = 'hygiene-sandbox-secret';
/** Bookkeeping a refused request may leave: nonces of authenticated requests, the upstream callback log. */
const BOOKKEEPING = ['api_nonces', 'upstream_callbacks', '_prisma_migrations'];

let env: TestEnvironment;
let merchant: MerchantFixture;
let other: MerchantFixture;
let client: MerchantClient;
let channelCode: string;
/** Unpaid orders made before the counts are taken: the cashier's submit needs a real prepay_id. */
const prepayIds: string[] = [];
const outTradeNos: string[] = [];
let counter = 0;

const prepayment = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  out_trade_no: `HYG-${++counter}`,
  amount: '150.00',
  currency: 'THB',
  service: 'THB_BANK',
  expire_second: 600,
  order_type: 'platform_order',
  payer_name: 'Somchai',
  description: 'hygiene',
  attach: 'a',
  notify_url: 'http://127.0.0.1:9/callback',
  ...overrides,
});

const payout = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  out_trade_no: `HYP-${++counter}`,
  amount: '100.00',
  currency: 'THB',
  service: 'THB_BANK_PAYOUT',
  recipient_name: 'Somchai Jaidee',
  recipient_account: '1234567890',
  bank_code: 'KBANK',
  notify_url: 'http://127.0.0.1:9/callback',
  ...overrides,
});

beforeAll(async () => {
  // No rate limit: the fuzz sends thousands of signed requests a second from one app.
  env = await createTestEnvironment({ env: { RATE_LIMIT_PER_SECOND: '0' } });
  env.services.config.publicUrl = env.url;
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  merchant = await createMerchantFixture(db, env.services.secrets);
  other = await createMerchantFixture(db, env.services.secrets);
  client = merchant.client(env.url);

  const payin = await createService(db, { code: 'THB_BANK', currencyCode: 'THB', requiredFields: ['payer_name'], country: 'TH' });
  await activateService(db, merchant.merchant.id, payin.id, { singleLimitLower: 100_00n, singleLimitUpper: 50_000_00n, feeRatePpm: 25_000n, feeFixed: 0n });
  const channel = await createChannel(
    db,
    { currencyCode: 'THB', paymentLowerBound: 50_00n, paymentUpperBound: 0n, settings: { delayMs: 100_000, successRate: 1 } },
    { secrets: env.services.secrets, secret: SANDBOX_SECRET },
  );
  channelCode = channel.code;
  await bindChannel(db, channel.id, payin.id);

  const out = await createService(db, { code: 'THB_BANK_PAYOUT', direction: 'PAYOUT', currencyCode: 'THB', requiredFields: ['recipient_name', 'recipient_account', 'bank_code'] });
  await activateService(db, merchant.merchant.id, out.id, { singleLimitLower: 10_00n, singleLimitUpper: 100_000_00n, feeRatePpm: 10_000n, feeFixed: 2_00n });
  const payoutChannel = await createChannel(db, { currencyCode: 'THB', settings: { delayMs: 100_000 } }, { secrets: env.services.secrets });
  await bindChannel(db, payoutChannel.id, out.id);
  await fundChannel(db, payoutChannel.id, 'THB', 10_000_000_00n);
  await fundMerchant(db, merchant.merchant.id, channel.id, 'THB', 1_000_000_00n);

  for (let i = 0; i < 8; i++) {
    const body = prepayment({ payer_name: undefined });
    const created = await client.post<{ prepay_id: string }>('/v1/transaction/prepayment', body);
    expect(created.body.code, JSON.stringify(created.body)).toBe(0);
    prepayIds.push(created.body.data.prepay_id);
    outTradeNos.push(String(body.out_trade_no));
  }
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

const send = (request: RawRequest) => sendRaw(env.url, merchant, request);
const json = (value: unknown) => JSON.stringify(value);
const bytes = (...parts: Array<string | number[]>): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

function expectInvalidParameter(response: RawResponse, field: string): void {
  expect(response.status, response.text).toBe(400);
  expect(response.json, response.text).toMatchObject({ code: 40002, data: { field } });
}

describe('NUL, lone surrogates and undecodable bytes', () => {
  it('are refused with 40002 naming the field on every signed merchant route, and nothing is written', async () => {
    const before = await tableCounts(env.prisma, BOOKKEEPING);
    const post = (path: string, body: Record<string, unknown>) => send({ method: 'POST', path, body: json({ mch_id: merchant.mchId, ...body }), contentType: 'application/json', signing: 'good' });

    expectInvalidParameter(await post('/v1/transaction/prepayment', prepayment({ payer_name: 'Som\u0000chai' })), 'payer_name');
    expectInvalidParameter(await post('/v1/transaction/prepayment', prepayment({ description: 'pay \uD800 now' })), 'description');
    expectInvalidParameter(await post('/v1/transaction/prepayment', prepayment({ attach: '\uDC00' })), 'attach');
    expectInvalidParameter(await post('/v1/transaction/prepayment', prepayment({ ['bad\u0000key']: 'x' })), 'bad\uFFFDkey');
    expectInvalidParameter(await post('/v1/transaction/prepayment', prepayment({ out_trade_no: 'A\u0000' })), 'out_trade_no');
    expectInvalidParameter(await post('/v1/transaction/query', { out_trade_no: 'A\u0000B' }), 'out_trade_no');
    expectInvalidParameter(await post('/v1/transaction/query', { prepay_id: '\uD83D' }), 'prepay_id');
    expectInvalidParameter(await post('/v1/transaction/close', { out_trade_no: `${outTradeNos[0]}\u0000` }), 'out_trade_no');
    expectInvalidParameter(await post('/v1/balance/query', { currency: 'THB\u0000' }), 'currency');
    expectInvalidParameter(await post('/v1/payout/create', payout({ recipient_name: 'x\u0000' })), 'recipient_name');
    expectInvalidParameter(await post('/v1/payout/create', payout({ recipient_account: '123\uDBFF' })), 'recipient_account');
    expectInvalidParameter(await post('/v1/payout/query', { payout_no: '\u0000' }), 'payout_no');
    // The platform never stored a field it then refused: the order is still open.
    expect((await client.post<{ status: string }>('/v1/transaction/query', { out_trade_no: outTradeNos[0] })).body.data.status).not.toBe('CLOSED');

    // Undecodable bytes inside a string value: the field they are in is named.
    for (const bad of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe9]]) {
      const body = bytes(`{"mch_id":"${merchant.mchId}","out_trade_no":"X-1","payer_name":"Jos`, bad, `","amount":"150.00"}`);
      expectInvalidParameter(await send({ method: 'POST', path: '/v1/transaction/prepayment', body, contentType: 'application/json', signing: 'good' }), 'payer_name');
    }
    // … and unsigned, or with a bad signature: the same answer, still before anything is looked up.
    const unsigned = await send({ method: 'POST', path: '/v1/payout/create', body: json(payout({ bank_code: '\u0000' })), contentType: 'application/json', signing: 'none' });
    expectInvalidParameter(unsigned, 'bank_code');

    expect(await tableCounts(env.prisma, BOOKKEEPING)).toEqual(before);
  });

  it('are refused on the upstream callback route, signed or not, and not recorded', async () => {
    const before = await tableCounts(env.prisma, ['api_nonces']);
    const callback = (body: Uint8Array | string, signed: boolean, channel = channelCode) => {
      const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
      return send({
        method: 'POST',
        path: `/v1/upstream/${channel}/callback`,
        body,
        contentType: 'application/json',
        signing: 'none',
        headers: signed ? signCallback(SANDBOX_SECRET, text) : {},
      });
    };
    expectInvalidParameter(await callback(json({ event: 'PAID', merchant_order_no: 'P\u0000', event_id: 'e1' }), true), 'merchant_order_no');
    expectInvalidParameter(await callback(json({ event: 'PAID', reason: '\uD800', event_id: 'e2' }), false), 'reason');
    expectInvalidParameter(await callback(bytes('{"event":"PAID","event_id":"', [0xfe], '"}'), true), 'event_id');
    expectInvalidParameter(await callback(bytes('event=PAID&x=', [0xc3]), true), 'body');
    expectInvalidParameter(await callback(json({ event: 'PAID' }), false, '%00'), 'channel');
    // Escapes that do not decode to UTF-8 stop at the router: the path is named.
    expectInvalidParameter(await callback(json({ event: 'PAID' }), false, '%ED%A0%80'), 'path');
    expect(await tableCounts(env.prisma, ['api_nonces'])).toEqual(before);
  });

  it("are refused by the cashier's submit (JSON and form posts), and the order keeps its payer fields", async () => {
    const before = await tableCounts(env.prisma, BOOKKEEPING);
    const path = `/pay/api/order/${prepayIds[1]}/submit`;
    const expectField = (response: RawResponse, field: string) => {
      expect(response.status, response.text).toBe(400);
      expect(response.json, response.text).toMatchObject({ error: { code: 'INVALID_PARAMETER', field } });
    };
    expectField(await send({ method: 'POST', path, body: json({ payer_name: 'So\u0000mchai' }), contentType: 'application/json', signing: 'none' }), 'payer_name');
    expectField(await send({ method: 'POST', path, body: json({ payer_account: '\uDFFF' }), contentType: 'application/json', signing: 'none' }), 'payer_account');
    expectField(await send({ method: 'POST', path, body: bytes('{"payer_name":"', [0x80, 0x80], '"}'), contentType: 'application/json', signing: 'none' }), 'payer_name');
    expectField(await send({ method: 'POST', path, body: 'payer_name=So%00mchai', contentType: 'application/x-www-form-urlencoded', signing: 'none' }), 'payer_name');
    expectField(await send({ method: 'POST', path, body: 'payer_name=%ED%A0%80', contentType: 'application/x-www-form-urlencoded', signing: 'none' }), 'payer_name');
    expectField(await send({ method: 'POST', path, body: 'payer_name=%C3', contentType: 'application/x-www-form-urlencoded', signing: 'none' }), 'payer_name');
    expectField(await send({ method: 'POST', path, body: bytes('payer_name=', [0xff]), contentType: 'application/x-www-form-urlencoded', signing: 'none' }), 'body');
    expect(await tableCounts(env.prisma, BOOKKEEPING)).toEqual(before);
  });

  it('let clean text through: Thai, Chinese and astral characters, a real U+FFFD', async () => {
    const created = await client.post<{ order_no: string }>('/v1/transaction/prepayment', prepayment({ payer_name: 'สมชาย 张三 😀 \uFFFD', description: 'ok' }));
    expect(created.body.code, created.rawBody).toBe(0);
  });
});
