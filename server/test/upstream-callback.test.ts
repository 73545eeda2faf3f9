import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Merchant } from '../src/generated/prisma/client.ts';
import { createPayin, type CreatePayinInput } from '../src/modules/payins/operations/create-payin.ts';
import { simulateCallback } from '../src/modules/payins/operations/simulate-callback.ts';
import { submitPayer } from '../src/modules/payins/operations/submit-payer.ts';
import { encodeCallback, signCallback } from '../src/modules/routing/connectors/sandbox/transformers.ts';
import { activateService, bindChannel, createChannel, createMerchant, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * upstream-callback e2e: a real server, a real worker, the sandbox upstream calling back over HTTP with
 * a signed body.
 */

const SECRET = 'e2e-sandbox-secret';
let env: TestEnvironment;
let baseUrl: string;
let merchant: Merchant;
let channel: Channel;
let bare: Channel;

beforeAll(async () => {
  env = await createTestEnvironment({ worker: true });
  baseUrl = env.url;
  env.services.config.publicUrl = baseUrl;

  const p = env.prisma;
  await ensureCurrency(p, 'THB', 2);
  merchant = await createMerchant(p);
  const service = await createService(p, { code: 'THB_BANK', currencyCode: 'THB' });
  await activateService(p, merchant.id, service.id, { feeRatePpm: 10_000n });
  channel = await createChannel(p, { code: 'SBX_E2E', currencyCode: 'THB', settings: { delayMs: 0, successRate: 1 } }, { secrets: env.services.secrets, secret: SECRET });
  await bindChannel(p, channel.id, service.id);
  bare = await createChannel(p, { code: 'SBX_BARE', currencyCode: 'THB' });
});

afterAll(async () => {
  await env?.stop();
});

let serial = 0;
const create = (params: Record<string, unknown> = {}) =>
  createPayin(env.services, {
    merchantId: merchant.id,
    mchId: merchant.mchId,
    appDbId: null,
    test: true,
    defaultNotifyUrl: null,
    creationType: 'MANUAL',
    params: { out_trade_no: `E2E-${Date.now()}-${++serial}`, amount: '100.00', currency: 'THB', ...params },
  } satisfies CreatePayinInput);

async function waitForStatus(orderId: string, status: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const order = await env.prisma.order.findUniqueOrThrow({ where: { id: orderId } });
    if (order.status === status) return order;
    if (Date.now() > until) throw new Error(`order stayed ${order.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function signedPaid(orderNo: string, txnId: string, amount: string, secret = SECRET) {
  const body = encodeCallback(
    { eventId: `evt_${txnId}`, event: 'payment.succeeded', orderNo, upstreamRef: null, currency: 'THB', transactions: [{ txnId, amount: BigInt(amount), paidAt: new Date() }], createdAt: new Date() },
    2,
  );
  return { body, headers: signCallback(secret, body) };
}

const post = (code: string, cb: { body: string; headers: Record<string, string> }) =>
  fetch(`${baseUrl}/v1/upstream/${code}/callback`, { method: 'POST', headers: cb.headers, body: cb.body });

describe('upstream callback over HTTP', () => {
  it('payer submits, the sandbox calls back signed, the order succeeds and is credited', async () => {
    const { order } = await create();
    await submitPayer(env.services, { prepayId: order.prepayId, random: () => 0 });
    const paid = await waitForStatus(order.id, 'SUCCEEDED');
    expect(paid).toMatchObject({ paidAmount: 10_000n, fee: 100n, accumulationStatus: 'COMPLETED' });
    const callbacks = await env.prisma.upstreamCallback.findMany({ where: { channelId: channel.id } });
    expect(callbacks.map((c) => [c.signatureValid, c.result])).toEqual([[true, 'APPLIED']]);
    const available = await env.prisma.ledgerAccount.findFirst({ where: { ownerId: merchant.id, kind: 'AVAILABLE' } });
    expect(available?.balance).toBe(9_900n);
  });

  it('answers 200 for a duplicate without applying it twice', async () => {
    const { order } = await create();
    const cb = signedPaid(order.orderNo, 'DUP-1', '10000');
    const first = await post('SBX_E2E', cb);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true });
    const second = await post('SBX_E2E', cb);
    expect(second.status).toBe(200);
    const o = await env.prisma.order.findUniqueOrThrow({ where: { id: order.id }, include: { payments: true } });
    expect(o).toMatchObject({ status: 'SUCCEEDED', paidAmount: 10_000n });
    expect(o.payments).toHaveLength(1);
    const results = await env.prisma.upstreamCallback.findMany({ where: { eventKey: 'event:evt_DUP-1' }, orderBy: { createdAt: 'asc' } });
    expect(results.map((r) => r.result)).toEqual(['APPLIED', 'DUPLICATE']);
  });

  it('answers 401 to a bad signature or a channel without credentials, records it, applies nothing', async () => {
    const { order } = await create();
    const forged = signedPaid(order.orderNo, 'FORGED-1', '10000', 'not-the-secret');
    const response = await post('SBX_E2E', forged);
    expect(response.status).toBe(401);
    const tampered = signedPaid(order.orderNo, 'TAMPER-1', '100');
    expect((await post('SBX_E2E', { ...tampered, body: tampered.body.replace('"1.00"', '"100.00"') })).status).toBe(401);
    expect((await post('SBX_BARE', signedPaid(order.orderNo, 'BARE-1', '10000'))).status).toBe(401);
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('PENDING');
    const rejected = await env.prisma.upstreamCallback.count({ where: { signatureValid: false, result: 'REJECTED_SIGNATURE' } });
    expect(rejected).toBe(3);
  });

  it('answers 404 for an unknown channel or order', async () => {
    expect((await post('NOPE', signedPaid('P0', 'X', '1'))).status).toBe(404);
    expect((await post('SBX_E2E', signedPaid('P20260101000000000000', 'X-1', '100'))).status).toBe(404);
  });

  it('simulates a failure callback for a test order from the back office', async () => {
    const { order } = await create();
    await simulateCallback(env.services, { key: { id: order.id }, outcome: 'failure', actor: { type: 'USER', id: 'staff' } });
    await waitForStatus(order.id, 'FAILED');
  });
});
