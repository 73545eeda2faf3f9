import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserFixture } from './support/auth-fixtures.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { fundMerchant } from './support/payout-fixtures.ts';
import { enqueueCallback } from '../src/modules/deliveries/deliveries.service.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * "Postback resend" from the back office (seed 000/002): resendDelivery on a callback that is waiting
 * for a retry sends it now, and resendPayinNotification / resendPayoutNotification re-send the latest
 * status callback of an order or payout, recording a fresh one when none exists (orders that show
 * "Error sending" with no callback on record). Real worker, real HTTP receiver on 127.0.0.1, real
 * session cookies; the normal retry schedule (the first retry is 15 s away).
 */

interface Hit {
  path: string;
  eventId: string;
  eventType: string;
  status: string;
  answered: number;
}

let env: TestEnvironment;
let shop: MerchantFixture;
let otherShop: MerchantFixture;
let cookies: Record<'owner' | 'viewer' | 'otherOwner' | 'support', string>;
let receiver: Server;
let receiverUrl = '';
const hits: Hit[] = [];
/** Paths that answer 500 until removed. */
const down = new Set<string>();

const gql = (who: keyof typeof cookies, query: string, variables?: Record<string, unknown>) => env.graphql<Record<string, any>>(query, variables, { cookie: cookies[who] });
const codeOf = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => res.errors?.[0]?.extensions?.code;
const on = (path: string) => hits.filter((h) => h.path === path);

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const CREATE_PAYIN = `mutation($input: CreateTestPayinInput!) { createTestPayin(input: $input) { payin { id orderNo } } }`;
const RESEND_PAYIN = `mutation($id: ID!) { resendPayinNotification(id: $id) { id postbackStatus } }`;
const RESEND_PAYOUT = `mutation($id: ID!) { resendPayoutNotification(id: $id) { id postbackStatus } }`;

/** A closed payin of the shop (its close records one callback) whose callbacks go to `path` (none: no notify URL). */
async function closedPayin(path: string | null): Promise<{ gid: string; id: string }> {
  const created = await gql('owner', CREATE_PAYIN, {
    input: { merchantId: encodeGlobalID('Merchant', shop.merchant.id), service: 'THB_QR', amount: '50.00', payerName: 'A', ...(path ? { notifyUrl: `${receiverUrl}${path}` } : {}) },
  });
  if (created.errors) throw new Error(created.errors[0]!.message);
  const gid = created.data!.createTestPayin.payin.id as string;
  const closed = await gql('owner', `mutation($id: ID!) { closePayin(id: $id, reason: "test") { status } }`, { id: gid });
  if (closed.errors) throw new Error(closed.errors[0]!.message);
  const row = await env.prisma.order.findUniqueOrThrow({ where: { orderNo: created.data!.createTestPayin.payin.orderNo } });
  return { gid, id: row.id };
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event_id: string; event_type: string; data: { status: string } };
      const path = req.url ?? '';
      const answered = down.has(path) ? 500 : 200;
      hits.push({ path, eventId: body.event_id, eventType: body.event_type, status: body.data.status, answered });
      res.writeHead(answered, { 'content-type': 'application/json' }).end(answered === 200 ? '{"ok":true}' : '{"error":"down"}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  env = await createTestEnvironment({ worker: true });
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  shop = await createMerchantFixture(db, env.services.secrets);
  otherShop = await createMerchantFixture(db, env.services.secrets);
  const payin = await createService(db, { code: 'THB_QR', currencyCode: 'THB', requiredFields: ['payer_name'] });
  const payout = await createService(db, { code: 'THB_OUT', direction: 'PAYOUT', currencyCode: 'THB', requiredFields: ['recipient_name', 'recipient_account', 'bank_code'] });
  await activateService(db, shop.merchant.id, payin.id, { singleLimitLower: 10_00n, feeRatePpm: 20_000n });
  await activateService(db, shop.merchant.id, payout.id, { feeFixed: 5_00n });
  const channel = await createChannel(db, { currencyCode: 'THB', settings: { delayMs: 0 } }, { secrets: env.services.secrets });
  await bindChannel(db, channel.id, payin.id);
  await bindChannel(db, channel.id, payout.id);
  await fundMerchant(db, shop.merchant.id, channel.id, 'THB', 1_000_00n, { test: true });
  cookies = {
    owner: (await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: shop.merchant.id })).cookie,
    viewer: (await createUserFixture(db, { roleKey: 'MERCHANT_VIEWER', merchantId: shop.merchant.id })).cookie,
    otherOwner: (await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: otherShop.merchant.id })).cookie,
    support: (await createUserFixture(db, { roleKey: 'SUPPORT_AGENT', totp: true, secrets: env.services.secrets })).cookie,
  };
}, 120_000);

afterAll(async () => {
  await env?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('resending callbacks from the back office', () => {
  it('resendDelivery sends a callback that is waiting for a retry now, not 15 s later', async () => {
    down.add('/retrying');
    const order = await closedPayin('/retrying');
    await waitFor('first attempt', () => on('/retrying').length === 1);
    const delivery = await env.prisma.delivery.findFirstOrThrow({ where: { orderId: order.id } });
    await waitFor('retry scheduled', async () => (await env.prisma.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).attemptCount === 1);
    const waiting = await env.prisma.delivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(waiting.status).toBe('PENDING');
    expect(waiting.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(8_000);

    down.delete('/retrying');
    const started = Date.now();
    const res = await gql('owner', `mutation($id: ID!) { resendDelivery(id: $id) { id status } }`, { id: encodeGlobalID('Delivery', delivery.id) });
    expect(res.errors).toBeUndefined();
    expect(res.data!.resendDelivery.status).toBe('PENDING');
    await waitFor('resent attempt', () => on('/retrying').length === 2, 6_000);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(on('/retrying').map((h) => h.eventId)).toEqual([delivery.eventId, delivery.eventId]);
    await waitFor('SENT', async () => (await env.prisma.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).status === 'SENT');
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).postbackStatus).toBe('SENT');
    const audit = await env.prisma.auditLog.findFirstOrThrow({ where: { entityType: 'Delivery', entityId: delivery.id } });
    expect(audit.action).toBe('delivery.resend');
  }, 40_000);

  it('resending a later callback while an earlier one waits for its retry sends both now, in sequence order', async () => {
    down.add('/ordered');
    const order = await closedPayin('/ordered');
    await waitFor('first attempt', () => on('/ordered').length === 1);
    const first = await env.prisma.delivery.findFirstOrThrow({ where: { orderId: order.id } });
    await waitFor('retry scheduled', async () => (await env.prisma.delivery.findUniqueOrThrow({ where: { id: first.id } })).attemptCount === 1);
    const row = await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    const second = await env.prisma.$transaction((tx) =>
      enqueueCallback(tx, {
        merchantId: row.merchantId, appDbId: row.appId, subject: { orderId: row.id }, eventType: 'payin.status_changed',
        sequence: row.sequence + 1, url: `${receiverUrl}/ordered`, data: { status: 'CLOSED', sequence: row.sequence + 1 },
      }),
    );
    // The later one waits behind the retrying head.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(on('/ordered')).toHaveLength(1);

    down.delete('/ordered');
    const res = await gql('owner', `mutation($id: ID!) { resendDelivery(id: $id) { id } }`, { id: encodeGlobalID('Delivery', second!.deliveryId) });
    expect(res.errors).toBeUndefined();
    await waitFor('both sent', () => on('/ordered').length === 3, 6_000);
    const secondRow = await env.prisma.delivery.findUniqueOrThrow({ where: { id: second!.deliveryId } });
    expect(on('/ordered').map((h) => [h.eventId, h.answered])).toEqual([[first.eventId, 500], [first.eventId, 200], [secondRow.eventId, 200]]);
  }, 40_000);

  it('resendPayinNotification records and sends a callback of the current status for an order that has none', async () => {
    const order = await closedPayin('/none-on-record');
    await waitFor('callback', () => on('/none-on-record').length === 1);
    // As the demo data (and rows from before callbacks were recorded) look: an error, but no callback.
    await env.prisma.deliveryAttempt.deleteMany({ where: { delivery: { orderId: order.id } } });
    await env.prisma.delivery.deleteMany({ where: { orderId: order.id } });
    await env.prisma.order.update({ where: { id: order.id }, data: { postbackStatus: 'ERROR' } });
    const current = await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } });

    expect(codeOf(await gql('viewer', RESEND_PAYIN, { id: order.gid }))).toBe('FORBIDDEN');
    expect(codeOf(await gql('otherOwner', RESEND_PAYIN, { id: order.gid }))).toBe('ORDER_NOT_FOUND');
    expect(await env.prisma.delivery.count({ where: { orderId: order.id } })).toBe(0);
    expect(on('/none-on-record')).toHaveLength(1);

    const res = await gql('owner', RESEND_PAYIN, { id: order.gid });
    expect(res.errors).toBeUndefined();
    expect(res.data!.resendPayinNotification.postbackStatus).toBe('PENDING');
    const fresh = await env.prisma.delivery.findFirstOrThrow({ where: { orderId: order.id } });
    expect(fresh).toMatchObject({ sequence: current.sequence, eventType: 'payin.status_changed', url: `${receiverUrl}/none-on-record` });
    await waitFor('fresh callback', () => on('/none-on-record').length === 2);
    expect(on('/none-on-record')[1]).toMatchObject({ eventId: fresh.eventId, eventType: 'payin.status_changed', status: 'CLOSED', answered: 200 });
    await waitFor('SENT', async () => (await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).postbackStatus === 'SENT');

    const audit = await env.prisma.auditLog.findFirstOrThrow({ where: { entityType: 'Order', entityId: order.id, action: 'order.resend_notification' } });
    expect(audit).toMatchObject({ merchantId: shop.merchant.id, actorType: 'USER' });
    expect(audit.after).toMatchObject({ deliveryId: fresh.id, created: true });
  }, 40_000);

  it('resendPayinNotification sends the latest callback again when it failed; NO_NOTIFY_URL when there is nowhere to send', async () => {
    const order = await closedPayin('/failed');
    await waitFor('callback', () => on('/failed').length === 1);
    const delivery = await env.prisma.delivery.findFirstOrThrow({ where: { orderId: order.id } });
    await waitFor('SENT', async () => (await env.prisma.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).status === 'SENT');
    await env.prisma.delivery.update({ where: { id: delivery.id }, data: { status: 'FAILED' } });
    await env.prisma.order.update({ where: { id: order.id }, data: { postbackStatus: 'ERROR' } });

    const res = await gql('support', RESEND_PAYIN, { id: order.gid });
    expect(res.errors).toBeUndefined();
    await waitFor('sent again', () => on('/failed').length === 2);
    expect(on('/failed').map((h) => h.eventId)).toEqual([delivery.eventId, delivery.eventId]);
    expect(await env.prisma.delivery.count({ where: { orderId: order.id } })).toBe(1);
    const audit = await env.prisma.auditLog.findFirstOrThrow({ where: { entityId: order.id, action: 'order.resend_notification' } });
    expect(audit.after).toMatchObject({ deliveryId: delivery.id, created: false });

    const silent = await closedPayin(null);
    const refused = await gql('owner', RESEND_PAYIN, { id: silent.gid });
    expect(codeOf(refused)).toBe('NO_NOTIFY_URL');
    expect(await env.prisma.auditLog.count({ where: { entityId: silent.id, action: 'order.resend_notification' } })).toBe(0);
  }, 40_000);

  it('resendPayoutNotification re-sends the latest callback of a payout', async () => {
    const created = await gql('owner', `mutation($input: CreateTestPayoutInput!) { createTestPayout(input: $input) { id payoutNo } }`, {
      input: {
        merchantId: encodeGlobalID('Merchant', shop.merchant.id), service: 'THB_OUT', amount: '20.00',
        recipientName: 'Jane Doe', recipientAccount: '1234567890', bankCode: 'SCB', notifyUrl: `${receiverUrl}/payout`,
      },
    });
    expect(created.errors).toBeUndefined();
    const payoutGid = created.data!.createTestPayout.id as string;
    const payout = await env.prisma.payout.findUniqueOrThrow({ where: { payoutNo: created.data!.createTestPayout.payoutNo } });
    await waitFor('payout callback', () => on('/payout').length >= 1, 20_000);
    await waitFor('settled', async () => (await env.prisma.delivery.count({ where: { payoutId: payout.id, status: 'PENDING' } })) === 0, 20_000);
    const before = on('/payout').length;
    const latest = await env.prisma.delivery.findFirstOrThrow({ where: { payoutId: payout.id }, orderBy: [{ sequence: 'desc' }, { createdAt: 'desc' }] });

    expect(codeOf(await gql('viewer', RESEND_PAYOUT, { id: payoutGid }))).toBe('FORBIDDEN');
    expect(codeOf(await gql('otherOwner', RESEND_PAYOUT, { id: payoutGid }))).toBe('PAYOUT_NOT_FOUND');
    const res = await gql('owner', RESEND_PAYOUT, { id: payoutGid });
    expect(res.errors).toBeUndefined();
    await waitFor('payout callback again', () => on('/payout').length === before + 1);
    expect(on('/payout').at(-1)).toMatchObject({ eventId: latest.eventId, eventType: 'payout.status_changed' });
    const audit = await env.prisma.auditLog.findFirstOrThrow({ where: { entityType: 'Payout', entityId: payout.id, action: 'payout.resend_notification' } });
    expect(audit.after).toMatchObject({ deliveryId: latest.id, created: false });
  }, 60_000);
});
