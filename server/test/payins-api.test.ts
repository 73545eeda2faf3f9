import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPayload } from '../src/lib/crypto.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import type { MerchantClient } from './support/merchant-client.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { ledgerInvariants } from './support/payin-services.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * The payin API driven as a merchant's server drives it: real HTTP, real RSA signatures, a real worker
 * and sandbox upstream, and a real callback receiver that is down for a while and then recovers.
 */

interface Callback {
  eventId: string;
  sequence: number;
  status: string;
  outTradeNo: string;
  signatureValid: boolean;
  answered: number;
}

/** A merchant server: answers 500 to the first `failFirst` callbacks, then 200. */
class Receiver {
  readonly received: Callback[] = [];
  private server: Server | undefined;
  private count = 0;
  constructor(
    private readonly platformPublicKeyPem: () => string,
    private readonly failFirst: number,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const signatureValid = verifyPayload(
          this.platformPublicKeyPem(),
          { timestamp: String(req.headers['payrail-timestamp']), nonce: String(req.headers['payrail-nonce']), body },
          String(req.headers['payrail-signature']),
        );
        const parsed = JSON.parse(body) as { event_id: string; data: { sequence: number; status: string; out_trade_no: string } };
        const answered = this.count++ < this.failFirst ? 500 : 200;
        this.received.push({ eventId: parsed.event_id, sequence: parsed.data.sequence, status: parsed.data.status, outTradeNo: parsed.data.out_trade_no, signatureValid, answered });
        res.writeHead(answered).end(answered === 200 ? 'ok' : 'down');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as { port: number }).port}/callback`;
  }

  acknowledged(outTradeNo: string): Callback[] {
    return this.received.filter((r) => r.outTradeNo === outTradeNo && r.answered === 200);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

let env: TestEnvironment;
let merchant: MerchantFixture;
let client: MerchantClient;
let receiver: Receiver;
let notifyUrl: string;
let channelId: string;
let counter = 0;
const previousScale = process.env.CALLBACK_RETRY_SCALE;

const nextOutTradeNo = () => `API-${Date.now()}-${++counter}`;
const prepayment = (overrides: Record<string, unknown> = {}) => ({
  out_trade_no: nextOutTradeNo(),
  amount: '150.00',
  currency: 'THB',
  service: 'THB_BANK',
  expire_second: 600,
  order_type: 'platform_order',
  payer_name: 'Somchai',
  notify_url: notifyUrl,
  ...overrides,
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  process.env.CALLBACK_RETRY_SCALE = '1000';
  env = await createTestEnvironment({ worker: true });
  env.services.config.publicUrl = env.url;
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  merchant = await createMerchantFixture(db, env.services.secrets);
  client = merchant.client(env.url);
  receiver = new Receiver(() => merchant.platformKey.publicKeyPem, 3);
  notifyUrl = await receiver.start();

  const service = await createService(db, { code: 'THB_BANK', currencyCode: 'THB', requiredFields: ['payer_name'], country: 'TH' });
  await activateService(db, merchant.merchant.id, service.id, { singleLimitLower: 100_00n, singleLimitUpper: 50_000_00n, feeRatePpm: 25_000n, feeFixed: 0n });
  const channel = await createChannel(
    db,
    { currencyCode: 'THB', paymentLowerBound: 50_00n, paymentUpperBound: 0n, settings: { delayMs: 100, successRate: 1 } },
    { secrets: env.services.secrets },
  );
  channelId = channel.id;
  await bindChannel(db, channel.id, service.id);
});

afterAll(async () => {
  if (previousScale === undefined) delete process.env.CALLBACK_RETRY_SCALE;
  else process.env.CALLBACK_RETRY_SCALE = previousScale;
  await receiver?.stop();
  await env?.stop();
});

describe('POST /v1/transaction/prepayment', () => {
  it('creates an order and answers in the envelope with a verifiable platform signature', async () => {
    const res = await client.post<{ prepay_id: string; payment_url: string; status: string; amount: string; currency: string }>(
      '/v1/transaction/prepayment',
      prepayment(),
    );
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(0);
    expect(res.body.msg).toBe('ok');
    expect(res.headers.get('x-request-id')).toBe(res.body.request_id);
    expect(res.body.data.prepay_id).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.data.payment_url).toBe(`${env.url}/pay/order?prepay_id=${res.body.data.prepay_id}`);
    expect(res.body.data).toMatchObject({ status: 'PENDING', amount: '150.00', currency: 'THB' });
    expect(client.verifyResponse(merchant.platformKey.publicKeyPem)).toBe(true);
  });

  it('returns the same order for the same out_trade_no and parameters, 40901 for different ones', async () => {
    const body = prepayment();
    const first = await client.post<{ prepay_id: string }>('/v1/transaction/prepayment', body);
    const again = await client.post<{ prepay_id: string }>('/v1/transaction/prepayment', { ...body, amount: 150 });
    expect(again.body.code).toBe(0);
    expect(again.body.data.prepay_id).toBe(first.body.data.prepay_id);
    const conflict = await client.post('/v1/transaction/prepayment', { ...body, amount: '151.00' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe(40901);
    expect(await env.prisma.order.count({ where: { outTradeNo: body.out_trade_no } })).toBe(1);
  });

  it('creates exactly one order for 50 concurrent identical requests', async () => {
    const body = prepayment();
    const responses = await Promise.all(Array.from({ length: 50 }, () => client.post<{ prepay_id: string }>('/v1/transaction/prepayment', body)));
    expect(responses.map((r) => r.body.code)).toEqual(Array(50).fill(0));
    expect(new Set(responses.map((r) => r.body.data.prepay_id)).size).toBe(1);
    expect(await env.prisma.order.count({ where: { outTradeNo: body.out_trade_no } })).toBe(1);
  });
});

describe('error codes', () => {
  const expectError = async (res: Promise<{ status: number; body: { code: number; data: unknown } }>, status: number, code: number) => {
    const r = await res;
    expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
    return r.body;
  };

  it('40001 malformed JSON', async () => {
    await expectError(client.send({ method: 'POST', path: '/v1/transaction/prepayment', body: '{"mch_id": ' }), 400, 40001);
  });

  it('40002 missing or invalid parameters name the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ out_trade_no: undefined }, 'out_trade_no'],
      [{ out_trade_no: 'bad no!' }, 'out_trade_no'],
      [{ amount: '1.234' }, 'amount'],
      [{ amount: '-5' }, 'amount'],
      [{ amount: '0' }, 'amount'],
      [{ notify_url: 'ftp://x' }, 'notify_url'],
      [{ attach: 'x'.repeat(513) }, 'attach'],
      [{ expire_second: 10 }, 'expire_second'],
    ];
    for (const [override, field] of cases) {
      const body = await expectError(client.post('/v1/transaction/prepayment', prepayment(override)), 400, 40002);
      expect(body.data).toMatchObject({ field });
    }
  });

  it('40003 amount outside the available range states the range', async () => {
    const body = await expectError(client.post('/v1/transaction/prepayment', prepayment({ amount: '99.99' })), 400, 40003);
    expect(body.data).toMatchObject({ min: '100.00', max: '50000.00' });
  });

  it('40004 service or currency not available to the merchant', async () => {
    await expectError(client.post('/v1/transaction/prepayment', prepayment({ service: 'NOPE' })), 400, 40004);
    await expectError(client.post('/v1/transaction/prepayment', prepayment({ service: undefined, currency: 'VND' })), 400, 40004);
  });

  it('401xx and 403xx: unsigned, badly signed, stale, replayed, unknown app, foreign mch_id, whitelist', async () => {
    const path = '/v1/transaction/prepayment';
    await expectError(client.send({ method: 'POST', path, body: prepayment(), headers: { authorization: undefined } }), 401, 40101);
    await expectError(client.send({ method: 'POST', path, body: prepayment(), signedBody: '{}' }), 401, 40102);
    await expectError(client.send({ method: 'POST', path, body: prepayment(), timestamp: Math.floor(Date.now() / 1000) - 301 }), 401, 40103);
    const nonce = 'ReplayNonce0123456789';
    await client.send({ method: 'POST', path: '/v1/balance/query', body: { mch_id: merchant.mchId }, nonce });
    await expectError(client.send({ method: 'POST', path: '/v1/balance/query', body: { mch_id: merchant.mchId }, nonce }), 401, 40104);
    await expectError(client.send({ method: 'POST', path, body: prepayment(), appId: '0'.repeat(32) }), 401, 40105);
    await expectError(client.post(path, { ...prepayment(), mch_id: '1000000001' }), 403, 40302);

    const walled = await createMerchantFixture(env.prisma, env.services.secrets, { app: { ipWhitelist: ['203.0.113.0/24'] } });
    await expectError(walled.client(env.url).post(path, prepayment()), 403, 40301);
    expect(await env.prisma.order.count({ where: { merchantId: walled.merchant.id } })).toBe(0);
  });

  it('40401 unknown order, 40902 closing a closed order, 41301 oversized body', async () => {
    await expectError(client.post('/v1/transaction/query', { out_trade_no: 'never-created' }), 404, 40401);
    const body = prepayment();
    await client.post('/v1/transaction/prepayment', body);
    const closed = await client.post<{ status: string }>('/v1/transaction/close', { out_trade_no: body.out_trade_no });
    expect(closed.body.data.status).toBe('CLOSED');
    await expectError(client.post('/v1/transaction/close', { out_trade_no: body.out_trade_no }), 409, 40902);
    await expectError(client.post('/v1/transaction/prepayment', prepayment({ description: 'x'.repeat(70_000) })), 413, 41301);
  });

  it('50301 when no channel can take the order', async () => {
    await env.prisma.channel.update({ where: { id: channelId }, data: { status: 'DISABLED' } });
    try {
      await expectError(client.post('/v1/transaction/prepayment', prepayment()), 503, 50301);
    } finally {
      await env.prisma.channel.update({ where: { id: channelId }, data: { status: 'ENABLED' } });
    }
  });
});

describe('rate limit', () => {
  it('42901 when an app sends more requests per second than allowed', async () => {
    const limited = await createTestEnvironment({ env: { RATE_LIMIT_PER_SECOND: '3' } });
    try {
      await ensureCurrency(limited.prisma, 'THB', 2);
      const fixture = await createMerchantFixture(limited.prisma, limited.services.secrets);
      const c = fixture.client(limited.url);
      const responses = await Promise.all(Array.from({ length: 10 }, () => c.post('/v1/balance/query', {})));
      const limitedOnes = responses.filter((r) => r.status === 429);
      expect(limitedOnes.length).toBeGreaterThan(0);
      expect(limitedOnes.every((r) => r.body.code === 42901)).toBe(true);
    } finally {
      await limited.stop();
    }
  });
});

describe('a payment end to end', () => {
  it('pays through the sandbox, credits the ledger and calls the merchant back in order despite failures', async () => {
    const body = prepayment({ amount: '1000.00' });
    const created = await client.post<{ prepay_id: string }>('/v1/transaction/prepayment', body);
    expect(created.body.code).toBe(0);

    const page = await fetch(`${env.url}/pay/order?prepay_id=${created.body.data.prepay_id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('1000.00');
    const submitted = await fetch(`${env.url}/pay/api/order/${created.body.data.prepay_id}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payer_account: '1234567890' }),
    });
    expect(submitted.status).toBe(200);

    const paid = await waitFor('the order to succeed', async () => {
      const q = await client.post<{ status: string; paid_amount: string; fee: string; sequence: number }>('/v1/transaction/query', { prepay_id: created.body.data.prepay_id });
      return q.body.data.status === 'SUCCEEDED' ? q.body.data : undefined;
    });
    expect(paid).toMatchObject({ paid_amount: '1000.00', fee: '25.00' });

    const callbacks = await waitFor('both callbacks acknowledged', () => {
      const acked = receiver.acknowledged(body.out_trade_no);
      return acked.length >= 2 ? acked : undefined;
    });
    expect(callbacks.map((c) => [c.sequence, c.status])).toEqual([
      [2, 'PROCESSING'],
      [3, 'SUCCEEDED'],
    ]);
    expect(new Set(callbacks.map((c) => c.eventId)).size).toBe(2);
    expect(receiver.received.filter((r) => r.outTradeNo === body.out_trade_no).every((r) => r.signatureValid)).toBe(true);
    expect(receiver.received.some((r) => r.answered === 500)).toBe(true);
    await waitFor('postback status SENT', async () => {
      const order = await env.prisma.order.findFirstOrThrow({ where: { outTradeNo: body.out_trade_no } });
      return order.postbackStatus === 'SENT' ? order : undefined;
    });

    const balance = await client.post<Array<{ currency: string; available: string }>>('/v1/balance/query', { currency: 'THB' });
    expect(balance.body.data).toEqual([expect.objectContaining({ currency: 'THB', available: '975.00' })]);
    expect(await ledgerInvariants(env.prisma)).toEqual({ totalSum: 0n, mismatched: 0 });
  });
});

describe('reference', () => {
  it('serves the OpenAPI document and a rendered reference listing every error code', async () => {
    const doc = (await (await fetch(`${env.url}/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/transaction/prepayment');
    const page = await (await fetch(`${env.url}/v1/docs`)).text();
    for (const code of [40001, 40002, 40003, 40004, 40101, 40102, 40103, 40104, 40105, 40301, 40302, 40401, 40901, 40902, 41301, 50001, 50301]) {
      expect(page).toContain(`<td>${code}</td>`);
    }
  });
});
