import type pg from 'pg';
import { newOrderNo, newPrepayId, newRowId } from '../../server/src/lib/ids.ts';
import { createMerchantFixture, type MerchantFixture } from '../../server/test/support/fixtures.ts';
import type { Envelope, MerchantClient, SignedRequest } from '../../server/test/support/merchant-client.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from '../../server/test/support/payin-fixtures.ts';
import { inTransaction, type BenchEnvironment } from '../lib/environment.ts';
import { clientSigningNote } from '../lib/client-signing.ts';
import { check, type Scenario } from '../lib/harness.ts';
import { rowTemplate, type RowTemplate } from '../lib/row-template.ts';

/**
 * a. A merchant's server creating payins: signed `POST /v1/transaction/prepayment` over real HTTP
 * (RSA signature made by the client, verified by Payrail, response signed by Payrail), against one
 * INSERT transaction writing the same order row and the same timeline rows with parameterised SQL.
 */

const EXPIRE_SECONDS = 600;

export interface PayinMerchant {
  fixture: MerchantFixture;
  client: MerchantClient;
  serviceCode: string;
  /** A prepayment body for a fresh out_trade_no. */
  prepayment(outTradeNo: string): Record<string, unknown>;
}

/** An active merchant with an app, a THB bank-transfer payin service and a sandbox channel bound to it. */
export async function seedPayinMerchant(bench: BenchEnvironment, name: string): Promise<PayinMerchant> {
  const db = bench.env.prisma;
  const secrets = bench.env.services.secrets;
  await ensureCurrency(db, 'THB', 2);
  const fixture = await createMerchantFixture(db, secrets, { merchantName: name });
  const service = await createService(db, { code: `BENCH_PAYIN_${bench.tag}_${fixture.mchId}`, currencyCode: 'THB' });
  await activateService(db, fixture.merchant.id, service.id);
  const channel = await createChannel(db, { currencyCode: 'THB' }, { secrets });
  await bindChannel(db, channel.id, service.id);
  return {
    fixture,
    client: fixture.client(bench.env.url),
    serviceCode: service.code,
    prepayment: (outTradeNo) => ({
      out_trade_no: outTradeNo,
      amount: '150.00',
      currency: 'THB',
      service: service.code,
      expire_second: EXPIRE_SECONDS,
      order_type: 'platform_order',
      payer_name: 'Bench Payer',
    }),
  };
}

/** Creates one payin through the REST API; throws unless Payrail answered code 0 with a PENDING order. */
export async function createPayinThroughApi(merchant: PayinMerchant, outTradeNo: string): Promise<void> {
  await sendPrepayment(merchant, merchant.client.signPost('/v1/transaction/prepayment', merchant.prepayment(outTradeNo)));
}

/** Sends a prepayment signed beforehand; throws unless Payrail answered code 0 with a PENDING order. */
export async function sendPrepayment(merchant: PayinMerchant, request: SignedRequest): Promise<void> {
  const res = await merchant.client.deliver<Envelope<{ status?: string }>>(request);
  if (res.status !== 200 || res.body?.code !== 0 || res.body.data?.status !== 'PENDING') {
    throw new Error(`POST /v1/transaction/prepayment answered HTTP ${res.status}: ${res.rawBody.slice(0, 300)}`);
  }
}

/** The raw side's copy of what Payrail wrote: the order row of `outTradeNo` and its timeline rows. */
export interface RawPayinShape {
  order: RowTemplate;
  timeline: RowTemplate;
}

export async function rawPayinShape(pool: pg.Pool, merchantId: string, outTradeNo: string): Promise<RawPayinShape> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM orders WHERE "merchantId" = $1 AND "outTradeNo" = $2`, [merchantId, outTradeNo]);
  const id = rows[0]?.id;
  if (!id) throw new Error('the Payrail side wrote no order to copy');
  return {
    order: await rowTemplate(pool, 'orders', { text: 'SELECT * FROM orders WHERE id = $1', values: [id] }),
    timeline: await rowTemplate(pool, 'order_events', { text: 'SELECT * FROM order_events WHERE "orderId" = $1 ORDER BY id', values: [id] }, ['id', 'createdAt']),
  };
}

/** The raw side's payin create: one transaction inserting the same order row and timeline rows. */
export async function insertRawPayin(pool: pg.Pool, shape: RawPayinShape, outTradeNo: string): Promise<void> {
  const now = new Date();
  const id = newRowId(now.getTime());
  await inTransaction(pool, async (client) => {
    await client.query(
      shape.order.sql,
      shape.order.params(() => ({
        id,
        orderNo: newOrderNo('P', now),
        prepayId: newPrepayId(),
        outTradeNo,
        expireAt: new Date(now.getTime() + EXPIRE_SECONDS * 1000),
        createdAt: now,
        updatedAt: now,
      })),
    );
    await client.query(shape.timeline.sql, shape.timeline.params(() => ({ orderId: id })));
  });
}

export function payinCreateScenario(bench: BenchEnvironment, size: { operations: number; warmup: number }): Scenario {
  const { pool } = bench;
  const payrailPrefix = `BENCH-PAYIN-${bench.tag}-`;
  const rawPrefix = `BENCH-RAWPAYIN-${bench.tag}-`;
  let merchant: PayinMerchant;
  let shape: RawPayinShape;

  const countOrders = async (prefix: string) => {
    const { rows } = await pool.query<{ orders: string; events: string; per_order: string[] }>(
      `SELECT count(*) AS orders, sum(e.n) AS events, array_agg(DISTINCT e.n::text) AS per_order
       FROM orders o CROSS JOIN LATERAL (SELECT count(*) AS n FROM order_events WHERE "orderId" = o.id) e
       WHERE o."merchantId" = $1 AND o."outTradeNo" LIKE $2`,
      [merchant.fixture.merchant.id, `${prefix}%`],
    );
    return { orders: BigInt(rows[0]!.orders), events: BigInt(rows[0]!.events ?? 0), perOrder: rows[0]!.per_order ?? [] };
  };

  return {
    key: 'payin-create',
    title: 'a. REST payin create',
    payrailDoes: 'signed POST /v1/transaction/prepayment over HTTP (signed by the client beforehand; Payrail verifies and signs the answer)',
    rawDoes: 'BEGIN; INSERT the same order row; INSERT its timeline rows; COMMIT',
    ...size,
    concurrency: bench.concurrency,
    async prepare() {
      merchant = await seedPayinMerchant(bench, 'Bench payins');
      // The merchant's server signs its requests before the clock starts: its RSA signing is the
      // client's work, not Payrail's (the notes say what it would add).
      let signed: SignedRequest[] = [];
      return {
        payrail: {
          async setup() {
            signed = Array.from({ length: size.warmup + size.operations }, (_, i) =>
              merchant.client.signPost('/v1/transaction/prepayment', merchant.prepayment(`${payrailPrefix}${i}`)),
            );
          },
          run: (i) => sendPrepayment(merchant, signed[i]!),
          async verify(operations) {
            const counted = await countOrders(payrailPrefix);
            check(counted.orders === BigInt(operations), `${operations} Payrail orders expected, found ${counted.orders}`);
            check(counted.perOrder.length === 1, `every order has the same timeline (timeline rows per order: ${counted.perOrder.join(', ')})`);
            check(merchant.client.verifyResponse(merchant.fixture.platformKey.publicKeyPem), 'the platform signature of the last answer verifies');
            return [`${counted.orders} orders with ${counted.perOrder[0]} timeline rows each; answers signed by the platform key`];
          },
        },
        raw: {
          async setup() {
            shape = await rawPayinShape(pool, merchant.fixture.merchant.id, `${payrailPrefix}0`);
          },
          run: (i) => insertRawPayin(pool, shape, `${rawPrefix}${i}`),
          async verify(operations) {
            const counted = await countOrders(rawPrefix);
            check(counted.orders === BigInt(operations), `${operations} raw orders expected, found ${counted.orders}`);
            check(counted.events === BigInt(operations * shape.timeline.rows), `${operations * shape.timeline.rows} raw timeline rows expected, found ${counted.events}`);
            return [`${counted.orders} orders with ${shape.timeline.rows} timeline rows each`];
          },
        },
        notes: async () => [clientSigningNote(merchant.fixture.clientKeys.privateKeyPem, JSON.stringify(merchant.prepayment(`${payrailPrefix}x`)))],
      };
    },
  };
}
