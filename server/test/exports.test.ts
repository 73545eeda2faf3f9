import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserFixture } from './support/auth-fixtures.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/** Download center: an export runs as a job with the list's filter and the owner's access, then downloads as CSV. */

let env: TestEnvironment;
let shop: MerchantFixture;
let other: MerchantFixture;
let owner: string;
let otherOwner: string;

const createOrder = async (m: MerchantFixture, cookie: string, amount: string, userId: string) => {
  const res = await env.graphql<any>(
    `mutation($input: CreateTestPayinInput!) { createTestPayin(input: $input) { payin { orderNo } } }`,
    { input: { merchantId: encodeGlobalID('Merchant', m.merchant.id), service: 'IDR_VA', amount, userId } },
    { cookie },
  );
  expect(res.errors).toBeUndefined();
  return res.data.createTestPayin.payin.orderNo as string;
};

beforeAll(async () => {
  env = await createTestEnvironment({ worker: true });
  const db = env.prisma;
  await ensureCurrency(db, 'IDR', 0);
  shop = await createMerchantFixture(db, env.services.secrets);
  other = await createMerchantFixture(db, env.services.secrets);
  const service = await createService(db, { code: 'IDR_VA', currencyCode: 'IDR' });
  const channel = await createChannel(db, { currencyCode: 'IDR' }, { secrets: env.services.secrets });
  await bindChannel(db, channel.id, service.id);
  for (const m of [shop, other]) await activateService(db, m.merchant.id, service.id);
  owner = (await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: shop.merchant.id })).cookie;
  otherOwner = (await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: other.merchant.id })).cookie;
});

afterAll(async () => {
  await env?.stop();
});

describe('exports', () => {
  it('exports the filtered list of the viewer’s merchant only, as CSV the owner can download', async () => {
    const a = await createOrder(shop, owner, '150000', 'alice');
    const b = await createOrder(shop, owner, '25000', 'bob');
    await createOrder(other, otherOwner, '99999', 'alice');

    const started = await env.graphql<any>(
      `mutation { createExport(kind: PAYINS, payinFilter: { userLabel: "alice" }) { id status } }`,
      {},
      { cookie: owner },
    );
    expect(started.errors).toBeUndefined();
    const id = started.data.createExport.id as string;
    const rawId = (await env.prisma.export.findFirstOrThrow({ where: { kind: 'PAYINS' }, orderBy: { createdAt: 'desc' } })).id;

    const deadline = Date.now() + 20_000;
    let row = await env.prisma.export.findUniqueOrThrow({ where: { id: rawId } });
    while (row.status !== 'DONE') {
      if (row.status === 'FAILED' || Date.now() > deadline) throw new Error(`export ended ${row.status}: ${row.error}`);
      await new Promise((r) => setTimeout(r, 100));
      row = await env.prisma.export.findUniqueOrThrow({ where: { id: rawId } });
    }
    expect(row).toMatchObject({ totalRows: 1, processedRows: 1 });

    const res = await fetch(`${env.url}/api/exports/${rawId}/download`, { headers: { cookie: owner } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="payins-\d{12}\.csv"/);
    const text = await res.text();
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^order_no,out_trade_no,mch_id,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(a);
    expect(lines[1]).toContain(',150000,0,0,IDR,');
    expect(text).not.toContain(b);

    expect((await fetch(`${env.url}/api/exports/${rawId}/download`, { headers: { cookie: otherOwner } })).status).toBe(404);
    expect((await fetch(`${env.url}/api/exports/${rawId}/download`)).status).toBe(401);

    const listed = await env.graphql<any>(`query { exports { edges { node { id status } } } }`, {}, { cookie: owner });
    expect(listed.data.exports.edges.map((e: any) => e.node.id)).toContain(id);
  });

  it('writes cells as the CSV rules say: formulas neutralised, quotes doubled, commas quoted, negative amounts too', async () => {
    const orderNo = await createOrder(shop, owner, '70000', 'carol');
    await env.prisma.order.update({ where: { orderNo }, data: { userLabel: '=HYPERLINK("x"),y', fee: -5n } });
    const started = await env.graphql<any>(`mutation { createExport(kind: PAYINS, payinFilter: { orderNo: "${orderNo}" }) { id } }`, {}, { cookie: owner });
    expect(started.errors).toBeUndefined();
    const rawId = (await env.prisma.export.findFirstOrThrow({ where: { kind: 'PAYINS' }, orderBy: { createdAt: 'desc' } })).id;
    const deadline = Date.now() + 20_000;
    let row = await env.prisma.export.findUniqueOrThrow({ where: { id: rawId } });
    while (row.status !== 'DONE') {
      if (row.status === 'FAILED' || Date.now() > deadline) throw new Error(`export ended ${row.status}: ${row.error}`);
      await new Promise((r) => setTimeout(r, 100));
      row = await env.prisma.export.findUniqueOrThrow({ where: { id: rawId } });
    }
    const res = await fetch(`${env.url}/api/exports/${rawId}/download`, { headers: { cookie: owner } });
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    const order = await env.prisma.order.findUniqueOrThrow({ where: { orderNo }, include: { channel: true } });
    expect(lines[1]).toBe(
      [orderNo, order.outTradeNo, shop.mchId, shop.merchant.name, 'IDR_VA', order.channel?.code, order.status, '70000', '0', "'-5", 'IDR', order.createdAt.toISOString(), '', '"\'=HYPERLINK(""x""),y"', order.creationType, order.originality, order.postbackStatus, String(order.test)].join(','),
    );
    expect(row.fileSize).toBe(Buffer.byteLength(`\uFEFF${lines.join('\r\n')}\r\n`));
  });
});
