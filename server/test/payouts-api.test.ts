import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPayload } from '../src/lib/crypto.ts';
import { checkLedgerInvariants } from '../src/modules/ledger/ledger.invariants.ts';
import { reconcilePayouts } from '../src/modules/payouts/operations/reconcile-payouts.ts';
import { approvePayout, rejectPayout, reversePayout } from '../src/modules/payouts/operations/review-payout.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import type { MerchantClient } from './support/merchant-client.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { balancesOf, channelBalance, fundChannel, fundMerchant } from './support/payout-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Payouts driven as a merchant's server drives them: signed REST calls, a real worker submitting to the
 * sandbox upstream, its signed HTTP callbacks, the merchant's callback receiver, and the janitor for
 * payouts whose upstream went quiet. Every balance is checked in minor units, and the ledger
 * invariants at the end.
 */

interface Callback {
  outTradeNo: string;
  status: string;
  sequence: number;
  signatureValid: boolean;
}

let env: TestEnvironment;
let merchant: MerchantFixture;
let client: MerchantClient;
let server: Server;
let notifyUrl: string;
let channelId: string;
let quietChannelId: string;
const callbacks: Callback[] = [];
let counter = 0;
const previousScale = process.env.CALLBACK_RETRY_SCALE;
const RECONCILE_AFTER_S = 3600;

const nextNo = () => `PO-${Date.now()}-${++counter}`;
const payout = (overrides: Record<string, unknown> = {}) => ({
  out_trade_no: nextNo(),
  amount: '100.00',
  currency: 'THB',
  service: 'THB_BANK_PAYOUT',
  recipient_name: 'Somchai Jaidee',
  recipient_account: '1234567890',
  bank_code: 'KBANK',
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

const statusOf = async (outTradeNo: string) =>
  (await env.prisma.payout.findUniqueOrThrow({ where: { merchantId_outTradeNo: { merchantId: merchant.merchant.id, outTradeNo } } })).status;
const waitStatus = (outTradeNo: string, status: string) =>
  waitFor(`${outTradeNo} ${status}`, async () => ((await statusOf(outTradeNo)) === status ? true : undefined));

beforeAll(async () => {
  process.env.CALLBACK_RETRY_SCALE = '1000';
  // The worker's minute janitor must not query payouts while a test watches their timeline (an extra
  // UPSTREAM_QUERIED, or a payout resolved before the janitor test asks): it re-queries a PROCESSING
  // payout only after an hour here. The janitor test runs the reconciliation itself, with a clock past that.
  env = await createTestEnvironment({ worker: true, env: { PAYOUT_RECONCILE_AFTER_SECONDS: String(RECONCILE_AFTER_S) } });
  env.services.config.publicUrl = env.url;
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  await ensureCurrency(db, 'USDT', 6, true);
  merchant = await createMerchantFixture(db, env.services.secrets);
  client = merchant.client(env.url);

  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const signatureValid = verifyPayload(
        merchant.platformKey.publicKeyPem,
        { timestamp: String(req.headers['payrail-timestamp']), nonce: String(req.headers['payrail-nonce']), body },
        String(req.headers['payrail-signature']),
      );
      const parsed = JSON.parse(body) as { event_type: string; data: { out_trade_no: string; status: string; sequence: number } };
      if (parsed.event_type === 'payout.status_changed') {
        callbacks.push({ outTradeNo: parsed.data.out_trade_no, status: parsed.data.status, sequence: parsed.data.sequence, signatureValid });
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  notifyUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/payout-callback`;

  const service = await createService(db, {
    code: 'THB_BANK_PAYOUT',
    direction: 'PAYOUT',
    currencyCode: 'THB',
    requiredFields: ['recipient_name', 'recipient_account', 'bank_code'],
  });
  // fee 1 % + 2.00 THB; single limit 10.00 … 100,000.00
  await activateService(db, merchant.merchant.id, service.id, { singleLimitLower: 10_00n, singleLimitUpper: 100_000_00n, feeRatePpm: 10_000n, feeFixed: 2_00n });
  const channel = await createChannel(db, { currencyCode: 'THB', settings: { delayMs: 200 } }, { secrets: env.services.secrets });
  channelId = channel.id;
  await bindChannel(db, channel.id, service.id);

  const usdt = await createService(db, { code: 'USDT_TRC20_PAYOUT', direction: 'PAYOUT', kind: 'CRYPTO', currencyCode: 'USDT', chain: 'TRON', requiredFields: ['recipient_account'] });
  await activateService(db, merchant.merchant.id, usdt.id);
  const quiet = await createChannel(db, { currencyCode: 'USDT', settings: { delayMs: 0, payoutCallbacks: false } }, { secrets: env.services.secrets });
  quietChannelId = quiet.id;
  await bindChannel(db, quiet.id, usdt.id);

  await fundMerchant(db, merchant.merchant.id, channel.id, 'THB', 10_000_00n);
  await fundChannel(db, channel.id, 'THB', 1_000_000_00n);
  await fundMerchant(db, merchant.merchant.id, quiet.id, 'USDT', 1_000_000_000n);
});

afterAll(async () => {
  if (previousScale === undefined) delete process.env.CALLBACK_RETRY_SCALE;
  else process.env.CALLBACK_RETRY_SCALE = previousScale;
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await env?.stop();
});

describe('POST /v1/payout/create → sandbox upstream → callbacks', () => {
  it('freezes amount + fee, submits, settles on the upstream result and calls back in sequence', async () => {
    const before = await balancesOf(env.prisma, merchant.merchant.id, 'THB');
    const body = payout({ amount: '250.00' });
    const res = await client.post<{ payout_no: string; status: string; amount: string; fee: string; sequence: number }>('/v1/payout/create', body);
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(0);
    expect(res.body.data).toMatchObject({ status: 'PENDING', amount: '250.00', fee: '4.50', sequence: 1 });
    expect(res.body.data.payout_no).toMatch(/^W[0-9]{20}$/);
    expect(client.verifyResponse(merchant.platformKey.publicKeyPem)).toBe(true);

    await waitStatus(body.out_trade_no, 'SUCCEEDED');
    const after = await balancesOf(env.prisma, merchant.merchant.id, 'THB');
    expect(before.available - after.available).toBe(254_50n);
    expect(after.frozen).toBe(before.frozen);

    const query = await client.post<{ status: string; finished_at: string | null; sequence: number }>('/v1/payout/query', { out_trade_no: body.out_trade_no });
    expect(query.body.data).toMatchObject({ status: 'SUCCEEDED', sequence: 3 });
    expect(query.body.data.finished_at).not.toBeNull();
    const byNo = await client.post<{ out_trade_no: string }>('/v1/payout/query', { payout_no: res.body.data.payout_no });
    expect(byNo.body.data.out_trade_no).toBe(body.out_trade_no);

    const mine = await waitFor('two callbacks', () => {
      const c = callbacks.filter((x) => x.outTradeNo === body.out_trade_no);
      return c.length >= 2 ? c : undefined;
    });
    expect(mine.map((c) => [c.status, c.sequence])).toEqual([
      ['PROCESSING', 2],
      ['SUCCEEDED', 3],
    ]);
    expect(mine.every((c) => c.signatureValid)).toBe(true);
    const events = await env.prisma.payoutEvent.findMany({ where: { payout: { outTradeNo: body.out_trade_no } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['CREATED', 'ROUTED', 'SUBMITTING', 'UPSTREAM_ACCEPTED', 'STATUS_SUCCEEDED']);
  });

  it('is idempotent on out_trade_no, also for 20 concurrent identical requests; different parameters → 40901', async () => {
    const before = await balancesOf(env.prisma, merchant.merchant.id, 'THB');
    const body = payout({ amount: '10.00' });
    const responses = await Promise.all(Array.from({ length: 20 }, () => client.post<{ payout_no: string }>('/v1/payout/create', body)));
    expect(responses.map((r) => r.body.code)).toEqual(Array(20).fill(0));
    expect(new Set(responses.map((r) => r.body.data.payout_no)).size).toBe(1);
    expect(await env.prisma.payout.count({ where: { outTradeNo: body.out_trade_no } })).toBe(1);
    const conflict = await client.post('/v1/payout/create', { ...body, recipient_account: '999999999' });
    expect({ status: conflict.status, code: conflict.body.code }).toEqual({ status: 409, code: 40901 });
    await waitStatus(body.out_trade_no, 'SUCCEEDED');
    const after = await balancesOf(env.prisma, merchant.merchant.id, 'THB');
    expect(before.available - after.available).toBe(10_00n + 2_10n); // frozen and settled once
  });

  it('a failed payout releases everything it froze', async () => {
    const before = await balancesOf(env.prisma, merchant.merchant.id, 'THB');
    const channelBefore = await channelBalance(env.prisma, channelId, 'THB');
    const failing = payout({ recipient_name: 'Sandbox Fail' });
    const refused = payout({ recipient_name: 'SANDBOX REFUSE' });
    await client.post('/v1/payout/create', failing);
    await client.post('/v1/payout/create', refused);
    await waitStatus(failing.out_trade_no, 'FAILED');
    await waitStatus(refused.out_trade_no, 'FAILED');
    expect(await balancesOf(env.prisma, merchant.merchant.id, 'THB')).toEqual(before);
    expect(await channelBalance(env.prisma, channelId, 'THB')).toBe(channelBefore);
    const row = await env.prisma.payout.findFirstOrThrow({ where: { outTradeNo: refused.out_trade_no } });
    expect(row.failureReason).toContain('rejected by the upstream');
  });
});

describe('error codes', () => {
  const expectError = async (res: Promise<{ status: number; body: { code: number; data: unknown; msg: string } }>, status: number, code: number) => {
    const r = await res;
    expect({ status: r.status, code: r.body.code, msg: r.body.msg }).toMatchObject({ status, code });
    return r.body;
  };

  it('40002 names the missing or malformed recipient field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ recipient_name: undefined }, 'recipient_name'],
      [{ bank_code: '' }, 'bank_code'],
      [{ recipient_account: 'x' }, 'recipient_account'],
      [{ amount: '1.001' }, 'amount'],
      [{ out_trade_no: 'no spaces' }, 'out_trade_no'],
    ];
    for (const [override, field] of cases) {
      const body = await expectError(client.post('/v1/payout/create', payout(override)), 400, 40002);
      expect(body.data).toMatchObject({ field });
    }
    const crypto = await expectError(
      client.post('/v1/payout/create', { out_trade_no: nextNo(), amount: '5', currency: 'USDT', service: 'USDT_TRC20_PAYOUT', recipient_account: '0xabc' }),
      400,
      40002,
    );
    expect(crypto.data).toMatchObject({ field: 'recipient_account' });
  });

  it('40003 outside the range, 40004 unknown service, 40401 unknown payout', async () => {
    const range = await expectError(client.post('/v1/payout/create', payout({ amount: '9.99' })), 400, 40003);
    expect(range.data).toMatchObject({ min: '10.00', max: '100000.00' });
    await expectError(client.post('/v1/payout/create', payout({ service: 'NOPE' })), 400, 40004);
    await expectError(client.post('/v1/payout/query', { out_trade_no: 'never-created' }), 404, 40401);
  });

  it('40903 insufficient balance says how much is there and needed, and creates nothing', async () => {
    const body = payout({ amount: '99999.00' });
    const res = await expectError(client.post('/v1/payout/create', body), 409, 40903);
    expect(res.msg).toMatch(/insufficient available balance: [0-9.]+ THB available, 101000.99 THB needed/);
    expect(await env.prisma.payout.count({ where: { outTradeNo: body.out_trade_no } })).toBe(0);
  });

  it('42201 risk REJECT rule refuses; 50301 when no channel holds enough', async () => {
    const rule = await env.prisma.riskRule.create({
      data: { name: 'blocked account', direction: 'PAYOUT', kind: 'BLOCKED_ACCOUNT', value: '666666666', action: 'REJECT', merchantId: merchant.merchant.id },
    });
    await expectError(client.post('/v1/payout/create', payout({ recipient_account: '666666666' })), 422, 42201);
    await env.prisma.riskRule.delete({ where: { id: rule.id } });

    const other = await createMerchantFixture(env.prisma, env.services.secrets);
    const service = await env.prisma.service.findUniqueOrThrow({ where: { code: 'THB_BANK_PAYOUT' } });
    await activateService(env.prisma, other.merchant.id, service.id);
    const poorChannel = await createChannel(env.prisma, { currencyCode: 'THB' }, { secrets: env.services.secrets });
    // The merchant's money is held at a channel that is not bound; the bound channel holds less than asked.
    await fundMerchant(env.prisma, other.merchant.id, poorChannel.id, 'THB', 3_000_000_00n);
    await expectError(other.client(env.url).post('/v1/payout/create', payout({ amount: '2000000.00', notify_url: undefined })), 503, 50301);
  });
});

describe('risk review and back-office decisions', () => {
  const finance = { type: 'USER' as const, id: randomUUID(), label: 'finance@example.com' };

  it('holds a payout above the review amount in REVIEW with its funds frozen; reject releases them and is audited', async () => {
    const rule = await env.prisma.riskRule.create({
      data: { name: 'large payouts', direction: 'PAYOUT', kind: 'AMOUNT_ABOVE', currencyCode: 'THB', threshold: 1_000_00n, action: 'REVIEW' },
    });
    try {
      const before = await balancesOf(env.prisma, merchant.merchant.id, 'THB');
      const held = payout({ amount: '1500.00' });
      const res = await client.post<{ status: string }>('/v1/payout/create', held);
      expect(res.body.data.status).toBe('REVIEW');
      const row = await env.prisma.payout.findFirstOrThrow({ where: { outTradeNo: held.out_trade_no } });
      const during = await balancesOf(env.prisma, merchant.merchant.id, 'THB');
      expect(during.frozen - before.frozen).toBe(1_517_00n);

      await expect(rejectPayout(env.services, { payoutId: row.id, actor: finance, note: '  ' })).rejects.toMatchObject({
        code: 'INVALID_PARAMETER',
      });
      await rejectPayout(env.services, { payoutId: row.id, actor: finance, note: 'beneficiary not verified' });
      expect(await statusOf(held.out_trade_no)).toBe('REJECTED');
      expect(await balancesOf(env.prisma, merchant.merchant.id, 'THB')).toEqual(before);
      const audit = await env.prisma.auditLog.findFirstOrThrow({ where: { entityId: row.id, action: 'payout.reject' } });
      expect(audit.after).toMatchObject({ status: 'REJECTED', note: 'beneficiary not verified' });

      const approved = payout({ amount: '1200.00' });
      await client.post('/v1/payout/create', approved);
      const approvedRow = await env.prisma.payout.findFirstOrThrow({ where: { outTradeNo: approved.out_trade_no } });
      await approvePayout(env.services, { payoutId: approvedRow.id, actor: finance, note: 'known customer' });
      await waitStatus(approved.out_trade_no, 'SUCCEEDED');
      // A payout already sent upstream cannot be cancelled.
      await expect(rejectPayout(env.services, { payoutId: approvedRow.id, actor: finance, note: 'too late' })).rejects.toMatchObject({
        code: 'INVALID_TRANSITION',
      });
    } finally {
      await env.prisma.riskRule.delete({ where: { id: rule.id } });
    }
  });

  it('a reversal after success returns amount and fee to the merchant and calls back REVERSED', async () => {
    const body = payout({ amount: '300.00' });
    await client.post('/v1/payout/create', body);
    await waitStatus(body.out_trade_no, 'SUCCEEDED');
    const before = await balancesOf(env.prisma, merchant.merchant.id, 'THB');
    const row = await env.prisma.payout.findFirstOrThrow({ where: { outTradeNo: body.out_trade_no } });
    await reversePayout(env.services, { payoutId: row.id, actor: finance, note: 'bank returned the transfer' });
    const after = await balancesOf(env.prisma, merchant.merchant.id, 'THB');
    expect(after.available - before.available).toBe(300_00n + 5_00n);
    await waitFor('REVERSED callback', () => (callbacks.some((c) => c.outTradeNo === body.out_trade_no && c.status === 'REVERSED') ? true : undefined));
  });
});

describe('stuck-state janitor', () => {
  const usdtPayout = (name: string) => ({
    out_trade_no: nextNo(),
    amount: '25.5',
    currency: 'USDT',
    service: 'USDT_TRC20_PAYOUT',
    recipient_name: name,
    recipient_account: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
  });

  it('resolves payouts whose upstream never called back, and never takes "sent to bank" for success', async () => {
    const quietOk = usdtPayout('Alice');
    const stuck = usdtPayout('SANDBOX STUCK');
    const lost = usdtPayout('SANDBOX TIMEOUT');
    for (const body of [quietOk, stuck, lost]) expect((await client.post('/v1/payout/create', body)).body.code).toBe(0);
    for (const body of [quietOk, stuck, lost]) await waitStatus(body.out_trade_no, 'PROCESSING');
    const lostRow = await env.prisma.payout.findFirstOrThrow({ where: { outTradeNo: lost.out_trade_no } });
    await waitFor('SUBMIT_UNCERTAIN', async () =>
      (await env.prisma.payoutEvent.count({ where: { payoutId: lostRow.id, type: 'SUBMIT_UNCERTAIN' } })) > 0 ? true : undefined,
    );
    const before = await balancesOf(env.prisma, merchant.merchant.id, 'USDT');

    const summary = await reconcilePayouts(env.services, { now: new Date(Date.now() + (RECONCILE_AFTER_S + 5) * 1000) });
    expect(summary.queried).toBeGreaterThanOrEqual(3);
    expect(await statusOf(quietOk.out_trade_no)).toBe('SUCCEEDED');
    expect(await statusOf(stuck.out_trade_no)).toBe('PROCESSING');
    expect(await statusOf(lost.out_trade_no)).toBe('FAILED');

    const after = await balancesOf(env.prisma, merchant.merchant.id, 'USDT');
    expect(before.frozen - after.frozen).toBe(2n * 25_500_000n); // settled one, released one
    expect(after.available - before.available).toBe(25_500_000n); // the lost one came back
    const stuckRow = await env.prisma.payout.findFirstOrThrow({ where: { outTradeNo: stuck.out_trade_no }, include: { events: true } });
    expect(stuckRow.events.map((e) => e.type)).toContain('UPSTREAM_PROCESSING');

    expect(stuckRow.events.filter((e) => e.type === 'UPSTREAM_QUERIED')).toHaveLength(1);
  });
});

describe('ledger', () => {
  it('keeps every invariant after all of the above', async () => {
    await waitFor('no payout in flight except the stuck one', async () =>
      (await env.prisma.payout.count({ where: { status: { in: ['PENDING'] } } })) === 0 ? true : undefined,
    );
    expect(await checkLedgerInvariants(env.prisma)).toEqual([]);
  });
});
