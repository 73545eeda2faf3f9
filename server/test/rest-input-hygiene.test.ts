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

// ---------------------------------------------------------------------------------------------------
// The fuzz

type Target = 'prepayment' | 'query' | 'close' | 'balance' | 'payout' | 'payoutQuery' | 'certificates' | 'upstream' | 'cashier';

const PATHS: Record<Exclude<Target, 'upstream' | 'cashier'>, string> = {
  prepayment: '/v1/transaction/prepayment',
  query: '/v1/transaction/query',
  close: '/v1/transaction/close',
  balance: '/v1/balance/query',
  payout: '/v1/payout/create',
  payoutQuery: '/v1/payout/query',
  certificates: '/v1/platform/certificates',
};

/** A JSON object as (key, raw JSON value text) pairs: duplicate keys and raw numbers like 1e400 survive. */
type Pairs = Array<[string, string]>;

interface FuzzCase {
  target: Target;
  poison: string;
  request: RawRequest;
}

const TOTAL = 10_000;
const CONCURRENCY = 12;

const INVALID_UTF8 = [[0xff], [0xfe], [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc3], [0xe0, 0x80, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf0, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xfc, 0x84, 0x80, 0x80, 0x80, 0x80]];
const LONE = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uDC00\uD800', '😀'.slice(0, 1), '😀'.slice(1)];
const OVERLONG_NUMBERS = ['1e400', '-1e400', '9'.repeat(400), `0.${'1'.repeat(400)}`, '1e-400', '-0', '123456789012345678901234567890', '1.7976931348623157e309'];
const BAD_AMOUNT_STRINGS = ['1e400', '9'.repeat(400), `1.${'0'.repeat(399)}1`, 'NaN', 'Infinity', '-150.00', '150.001', '0x96', ' 150', '150,00', '١٥٠', '', '0', '-0', '1e2', '+150'];
const WRONG_TYPES = ['true', 'false', '{}', '[]', '["150.00"]', '{"amount":"150.00"}', '[[[[]]]]', '-1', '0', '1.5e-7'];
const BAD_JSON = ['{', '{"a":', '{"a":1,}', "{'a':1}", '{"a":NaN}', '{"a":1} x', '\uFEFF{}', '{"a":"\u0001"}', '{"a":"\u0000"}', '/* c */ {}', '{"a":01}', '{"a":.5}', '{"a" 1}', '{"\\ud800":"\\u12"}', '{"a":"\\x41"}'];
const NOT_OBJECTS = ['[]', '[{}]', '"text"', '42', 'null', 'true', '1e400', '[' .repeat(5000) + ']'.repeat(5000)];
const BAD_CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', '', 'application/json-patch+json'];

function makeFuzz(seed: number): FuzzCase[] {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => random() < p;

  const base = (target: Target, i: number): Record<string, unknown> => {
    switch (target) {
      case 'prepayment':
        return { mch_id: merchant.mchId, ...prepayment({ out_trade_no: `FZ-${i}` }) };
      case 'payout':
        return { mch_id: merchant.mchId, ...payout({ out_trade_no: `FZP-${i}` }) };
      case 'query':
        return chance(0.5) ? { mch_id: merchant.mchId, out_trade_no: `FZQ-${i}` } : { mch_id: merchant.mchId, prepay_id: `nope${i}` };
      case 'close':
        return { mch_id: merchant.mchId, out_trade_no: `FZC-${i}` };
      case 'balance':
        return { mch_id: merchant.mchId, currency: 'THB' };
      case 'payoutQuery':
        return chance(0.5) ? { mch_id: merchant.mchId, out_trade_no: `FZQ-${i}` } : { mch_id: merchant.mchId, payout_no: `PO${i}` };
      case 'upstream':
        return {
          event: pick(['payment.succeeded', 'payment.failed', 'payment.reversed', 'payout.succeeded', 'payout.failed', 'payout.reversed', 'payout.sent_to_bank', 'nonsense']),
          event_id: `fz-${i}`,
          merchant_order_no: `NOPE-${i}`,
          transactions: [{ txn_id: `T${i}`, amount: '150.00', paid_at: new Date(0).toISOString() }],
        };
      case 'cashier':
        return { payer_name: 'Somchai', payer_account: '123-456', bank_code: 'KBANK' };
      case 'certificates':
        return {};
    }
  };
  /** The field whose wrong value certainly refuses the request on that route. */
  const keyField = (target: Target): string =>
    ({ prepayment: 'amount', payout: 'amount', query: 'out_trade_no', close: 'out_trade_no', balance: 'currency', payoutQuery: 'out_trade_no', upstream: 'merchant_order_no', cashier: 'payer_account', certificates: 'x' })[target];

  const toPairs = (object: Record<string, unknown>): Pairs => Object.entries(object).map(([k, v]) => [k, JSON.stringify(v)]);
  const text = (pairs: Pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(chance(0.2) ? ' ,\n\t' : ',')}}`;
  const setField = (pairs: Pairs, key: string, raw: string) => {
    const at = pairs.findIndex(([k]) => k === key);
    if (at >= 0) pairs[at] = [key, raw];
    else pairs.push([key, raw]);
  };
  const anyField = (pairs: Pairs) => (pairs.length ? pick(pairs)[0] : 'x');
  const dirty = () => (chance(0.5) ? pick(['\u0000', 'a\u0000', '\u0000\u0000', 'x\u0000y']) : pick(LONE));
  const insertInto = (value: string, extra: string) => {
    const at = int(value.length + 1);
    return value.slice(0, at) + extra + value.slice(at);
  };
  const nested = (depth: number) => (chance(0.5) ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

  /** Each poison alone makes the route refuse the request. Weighted: semantic poisons (which pass authentication) most. */
  /** contentType null: sent without one; undefined: application/json. */
  type Body = { body?: Uint8Array | string; contentType?: string | null; signing?: Signing; method?: string; path?: string; prepayId?: string; poison: string };
  const poisons: Array<[number, (t: Target, pairs: Pairs) => Body]> = [
    [6, (_t, pairs) => {
      const key = anyField(pairs);
      const current = pairs.find(([k]) => k === key);
      const value = current && current[1].startsWith('"') ? (JSON.parse(current[1]) as string) : 'value';
      setField(pairs, key, JSON.stringify(insertInto(value, dirty())));
      return { body: text(pairs), poison: 'dirty value' };
    }],
    [3, (_t, pairs) => {
      pairs.splice(int(pairs.length + 1), 0, [insertInto(pick(['field', 'payer_name', 'x', '']), dirty()), JSON.stringify('v')]);
      return { body: text(pairs), poison: 'dirty key' };
    }],
    [5, (_t, pairs) => {
      const key = anyField(pairs);
      setField(pairs, key, '"@@BAD@@"');
      const [head, tail] = text(pairs).split('@@BAD@@') as [string, string];
      return { body: Buffer.concat([Buffer.from(head + pick(['', 'Jos', 'สม'])), Buffer.from(pick(INVALID_UTF8)), Buffer.from(pick(['', 'é', 'x']) + tail)]), poison: 'invalid UTF-8 bytes' };
    }],
    [3, (_t, pairs) => {
      setField(pairs, pick(['attach', 'description', 'payer_name', 'meta', anyField(pairs)]), nested(pick([33, 100, 1000, 10_000, 10_000, 30_000])));
      return { body: text(pairs), poison: 'deep nesting' };
    }],
    [3, () => ({ body: pick(NOT_OBJECTS), poison: 'not an object' })],
    [3, (_t, pairs) => (chance(0.5) ? { body: pick(BAD_JSON), poison: 'invalid JSON' } : { body: text(pairs).slice(0, -1 - int(5)), poison: 'truncated JSON' })],
    [2, () => ({ body: chance(0.5) ? '' : pick([' ', '\n', '\u0000', '{}'.slice(0, 1)]), poison: 'empty body' })],
    [3, (_t, pairs) => {
      const contentType = pick(BAD_CONTENT_TYPES);
      return { body: contentType.startsWith('application/x-www') ? 'amount=1e400&out_trade_no=%00' : text(pairs), contentType: contentType || null, poison: 'bad content type' };
    }],
    [3, (_t, pairs) => {
      pairs.splice(int(pairs.length + 1), 0, chance(0.5) ? ['__proto__', '{"admin":true,"amount":"1.00"}'] : ['constructor', '{"prototype":{"admin":true}}']);
      return { body: text(pairs), poison: 'prototype pollution' };
    }],
    [8, (t, pairs) => {
      // Duplicate keys: the last one wins in JSON.parse — and it is wrong.
      pairs.push([keyField(t), pick(t === 'prepayment' || t === 'payout' ? [...WRONG_TYPES, '"1e400"', '"abc"'] : WRONG_TYPES.filter((w) => w !== '0' && w !== '-1'))]);
      return { body: text(pairs), poison: 'duplicate key' };
    }],
    [10, (t, pairs) => {
      if (t === 'prepayment' || t === 'payout') setField(pairs, 'amount', chance(0.5) ? pick(OVERLONG_NUMBERS) : JSON.stringify(pick(BAD_AMOUNT_STRINGS)));
      else setField(pairs, keyField(t), pick(OVERLONG_NUMBERS));
      return { body: text(pairs), poison: 'overlong number' };
    }],
    [10, (t, pairs) => {
      const wrong = t === 'prepayment' || t === 'payout' ? WRONG_TYPES.filter((w) => w !== '0.5') : WRONG_TYPES.filter((w) => !['0', '-1'].includes(w));
      setField(pairs, keyField(t), pick(wrong));
      return { body: text(pairs), poison: 'wrong type' };
    }],
    [6, (t, pairs) => {
      setField(pairs, keyField(t), JSON.stringify('x'.repeat(pick([65, 200, 5000, 40_000]))));
      return { body: text(pairs), poison: 'huge string' };
    }],
    [5, (t, pairs) => {
      if (t === 'upstream' || t === 'cashier') {
        setField(pairs, keyField(t), JSON.stringify([{ a: 1 }]));
        return { body: text(pairs), poison: 'array for a string' };
      }
      setField(pairs, 'mch_id', pick([JSON.stringify(other.mchId), '{"id":1}', '["x"]', '12', JSON.stringify(`${merchant.mchId} `)]));
      return { body: text(pairs), poison: 'foreign mch_id' };
    }],
    [8, (t, pairs) => {
      // Well-formed requests the domain refuses: limits, unknown services, idempotency conflicts, unknown orders.
      const existing = pick(outTradeNos);
      const refusals: Record<Target, Array<[string, string]>> = {
        prepayment: [['amount', '"1.00"'], ['amount', '"50000.01"'], ['service', '"NOPE_SERVICE"'], ['currency', '"XXX"'], ['expire_second', '10'], ['order_type', '"merchant_order"'], ['notify_url', '"ftp://x"'], ['locale', '"fr"'], ['out_trade_no', JSON.stringify(existing)], ['out_trade_no', '"bad no!"']],
        payout: [['amount', '"5.00"'], ['amount', '"200000.00"'], ['service', '"NOPE_SERVICE"'], ['currency', '"USD"'], ['recipient_name', '""'], ['out_trade_no', '"bad no!"']],
        query: [['out_trade_no', '"NO-SUCH-ORDER"'], ['prepay_id', '"nosuchprepayid"']],
        close: [['out_trade_no', '"NO-SUCH-ORDER"']],
        payoutQuery: [['out_trade_no', '"NO-SUCH-PAYOUT"']],
        balance: [['currency', '{"$ne":null}']],
        upstream: [['merchant_order_no', JSON.stringify(`ORD-${int(1e9)}`)]],
        cashier: [['payer_account', '"x"'.repeat(1)]],
        certificates: [],
      };
      const [key, raw] = pick(refusals[t]);
      if (t === 'query' && key === 'prepay_id') pairs.splice(0, pairs.length, ['mch_id', JSON.stringify(merchant.mchId)]);
      setField(pairs, key, raw);
      return t === 'cashier' ? { body: text(pairs), poison: 'unknown order', prepayId: `nope${int(1e9)}` } : { body: text(pairs), poison: 'domain refusal' };
    }],
    [2, (_t, pairs) => {
      setField(pairs, 'padding', JSON.stringify('p'.repeat(70_000)));
      return { body: text(pairs), poison: 'body too large' };
    }],
    [6, (t, pairs) => (t === 'upstream' || t === 'cashier' ? { body: text(pairs), poison: 'unknown order', prepayId: `nope${int(1e9)}` } : { body: text(pairs), signing: pick(['bad-signature', 'stale', 'malformed', 'none', 'wrong-app'] as const), poison: 'bad authentication' })],
    [2, (t, pairs) => ({ body: text(pairs), method: pick(['PUT', 'DELETE', 'PATCH']), poison: 'wrong method', ...(t === 'certificates' ? { body: undefined } : {}) })],
  ];
  const weightTotal = poisons.reduce((sum, [w]) => sum + w, 0);
  const pickPoison = () => {
    let r = random() * weightTotal;
    for (const [w, poison] of poisons) if ((r -= w) < 0) return poison;
    return poisons[0]![1];
  };

  const targets: Target[] = ['prepayment', 'prepayment', 'query', 'close', 'balance', 'payout', 'payout', 'payoutQuery', 'certificates', 'upstream', 'cashier'];
  const cases: FuzzCase[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const target = pick(targets);
    let built: Body;
    if (target === 'certificates') {
      // A GET without a body: only its authentication can be wrong.
      built = chance(0.85)
        ? { signing: pick(['bad-signature', 'stale', 'malformed', 'none', 'wrong-app'] as const), path: pick([PATHS.certificates, `${PATHS.certificates}?x=%00`, `${PATHS.certificates}?x=%ED%A0%80`]), poison: 'bad authentication' }
        : { method: pick(['POST', 'PUT']), body: '{}', contentType: 'application/json', poison: 'wrong method' };
    } else {
      const pairs = toPairs(base(target, i));
      built = pickPoison()(target, pairs);
    }
    if (target === 'upstream') {
      const body = built.body;
      const bodyText = body === undefined ? '' : typeof body === 'string' ? body : new TextDecoder().decode(body);
      const channel = chance(0.9) ? channelCode : pick(['%00', 'nope', '%ED%A0%80', 'x'.repeat(200), '%2e%2e']);
      cases.push({
        target,
        poison: built.poison,
        request: {
          method: built.method ?? 'POST',
          path: `/v1/upstream/${channel}/callback`,
          body,
          contentType: built.contentType === null ? undefined : (built.contentType ?? (chance(0.9) ? 'application/json' : undefined)),
          signing: 'none',
          headers: chance(0.6) ? signCallback(SANDBOX_SECRET, bodyText) : chance(0.5) ? { 'x-sandbox-timestamp': pick(['1', 'abc', '9'.repeat(20)]), 'x-sandbox-signature': 'AAAA' } : {},
        },
      });
      continue;
    }
    if (target === 'cashier') {
      cases.push({
        target,
        poison: built.poison,
        request: {
          method: built.method ?? 'POST',
          path: `/pay/api/order/${built.prepayId ?? (chance(0.9) ? pick(prepayIds) : pick(['%00', 'x'.repeat(200), '%ED%A0%80', 'nope']))}/submit`,
          body: built.body,
          contentType: built.contentType === null ? undefined : (built.contentType ?? 'application/json'),
          signing: 'none',
        },
      });
      continue;
    }
    const path = built.path ?? PATHS[target];
    cases.push({
      target,
      poison: built.poison,
      request: {
        method: built.method ?? (target === 'certificates' ? 'GET' : 'POST'),
        path,
        body: built.body,
        contentType: built.body === undefined || built.contentType === null ? undefined : (built.contentType ?? 'application/json'),
        signing: built.signing ?? (chance(0.9) ? 'good' : pick(['bad-signature', 'none'] as const)),
      },
    });
  }
  return cases;
}

const CONTRACT_STATUS = new Map<number, number>(Object.values(REST_ERRORS).map((e) => [e.code, e.status]));
CONTRACT_STATUS.set(40401, 404);

/** What is wrong with an answer to a hostile request; null when it is a proper refusal. */
function problemWith(fuzz: FuzzCase, response: RawResponse): string | null {
  if (response.status >= 500) return `HTTP ${response.status}`;
  const body = response.json as Record<string, unknown> | undefined;
  const envelope = () => {
    if (!body || typeof body !== 'object') return `not JSON: ${response.text.slice(0, 80)}`;
    if (typeof body.code !== 'number' || body.code === 0) return `code ${String(body.code)}`;
    if (typeof body.msg !== 'string' || typeof body.request_id !== 'string' || !('data' in body)) return 'not an envelope';
    if (body.data !== null && typeof body.data !== 'object') return 'data is neither null nor an object';
    if (CONTRACT_STATUS.get(body.code) !== response.status) return `code ${body.code} with HTTP ${response.status}`;
    return null;
  };
  if (fuzz.target === 'upstream') {
    if (body && typeof body === 'object' && body.ok === false && typeof body.error === 'string' && [400, 401, 404, 409].includes(response.status)) return null;
    return envelope();
  }
  if (fuzz.target === 'cashier') {
    if (response.status === 303) return response.location?.includes('error=') ? null : `303 to ${response.location}`;
    const error = body?.error as { code?: unknown } | undefined;
    if (response.status >= 400 && error && typeof error.code === 'string' && /^[A-Z_]+$/.test(error.code)) return null;
    if (response.status === 404 && fuzz.request.method !== 'POST') return null; // no such route (the SPA's fallback)
    return `cashier answered ${response.status} ${response.text.slice(0, 80)}`;
  }
  return envelope();
}

async function runAll(cases: FuzzCase[], run: (fuzz: FuzzCase) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) await run(cases[next++]!);
    }),
  );
}

async function graphileJobs(): Promise<number> {
  const [row] = await env.prisma.$queryRawUnsafe<Array<{ n: bigint }>>('SELECT count(*) AS n FROM graphile_worker._private_jobs');
  return Number(row!.n);
}

describe('a seeded fuzz of hostile requests on every REST route', () => {
  it(`answers ${TOTAL} of them without a 5xx, each with a stable error, and writes nothing`, { timeout: 180_000 }, async () => {
    const cases = makeFuzz(20261207);
    expect(makeFuzz(20261207).map((c) => c.poison).join()).toBe(cases.map((c) => c.poison).join()); // deterministic
    const callbacksBefore = await env.prisma.upstreamCallback.count();
    const before = await tableCounts(env.prisma, BOOKKEEPING);
    const jobsBefore = await graphileJobs();

    const problems: string[] = [];
    const byCode = new Map<string, number>();
    let authenticated = 0;
    const started = Date.now();
    await runAll(cases, async (fuzz) => {
      const response = await send(fuzz.request);
      if (response.signed) authenticated++;
      const code = (response.json as { code?: unknown; error?: unknown } | undefined)?.code ?? (response.json as { error?: unknown } | undefined)?.error;
      const key = `${fuzz.target} ${response.status} ${typeof code === 'object' ? (code as { code?: string }).code : String(code)}`;
      byCode.set(key, (byCode.get(key) ?? 0) + 1);
      const problem = problemWith(fuzz, response);
      if (problem && problems.length < 30) {
        const body = fuzz.request.body === undefined ? '' : typeof fuzz.request.body === 'string' ? fuzz.request.body : new TextDecoder().decode(fuzz.request.body);
        problems.push(`${fuzz.target} [${fuzz.poison}] ${fuzz.request.method} ${fuzz.request.path.slice(0, 80)} ${body.slice(0, 120)} → ${problem}`);
      }
    });
    const seconds = (Date.now() - started) / 1000;

    expect(problems).toEqual([]);
    expect(await tableCounts(env.prisma, BOOKKEEPING)).toEqual(before);
    expect(await graphileJobs()).toBe(jobsBefore);
    // The upstream callback log records refusals only: nothing was applied.
    const logged = await env.prisma.upstreamCallback.groupBy({ by: ['result'], _count: true, where: { createdAt: { gte: new Date(started) } } });
    expect(logged.map((l) => l.result).filter((r) => !['REJECTED_SIGNATURE', 'MALFORMED', 'ORDER_NOT_FOUND', 'PAYOUT_NOT_FOUND'].includes(r ?? ''))).toEqual([]);
    expect(await env.prisma.upstreamCallback.count()).toBeGreaterThan(callbacksBefore);

    // It reached past authentication into validation and domain code, on every signed route.
    expect(authenticated).toBeGreaterThan(TOTAL / 4);
    for (const target of ['prepayment', 'query', 'close', 'balance', 'payout', 'payoutQuery', 'upstream', 'cashier'] as const) {
      expect([...byCode.keys()].some((k) => k.startsWith(`${target} `) && !/ 40[13]\d\d$| 4010\d$/.test(k)), target).toBe(true);
    }
    const byStatus = new Map<string, number>();
    for (const [key, n] of byCode) byStatus.set(key.split(' ')[1]!, (byStatus.get(key.split(' ')[1]!) ?? 0) + n);
    console.info(`fuzz: ${cases.length} requests in ${seconds.toFixed(1)} s, ${authenticated} authenticated; by status ${[...byStatus].sort().map(([s, n]) => `${s}: ${n}`).join(', ')}`);
  });
});
