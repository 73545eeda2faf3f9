import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/prisma.ts';
import type {
  AccumulationStatus,
  Channel,
  Merchant,
  Order,
  OrderStatus,
  Payout,
  PayoutStatus,
  PostbackStatus,
  Service,
} from '../../src/generated/prisma/client.ts';
import { merchantAccount, platformAccount, postTransaction } from '../../src/modules/ledger/ledger.service.ts';
import { activateService, bindChannel, createChannel, createMerchant, createService, ensureCurrency } from './payin-fixtures.ts';

/**
 * A small world for the GraphQL read tests: two merchants (A with most rows, B with some), THB / IDR /
 * USDT payin services and a THB payout service, channels, orders and payouts with every seed-002
 * attribute varied deterministically, payments, deliveries, ledger postings, statements, fund
 * requests, exports, audit rows and apps. Rows are written directly (or through postTransaction for
 * money) so the tests control every column.
 */

export interface GraphqlWorld {
  a: Merchant;
  b: Merchant;
  services: { thb: Service; idr: Service; usdt: Service; thbPayout: Service };
  channels: { thb1: Channel; thb2: Channel; idr: Channel; usdt: Channel };
  orders: Order[];
  payouts: Payout[];
}

const ORDER_STATUSES: OrderStatus[] = ['PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CLOSED', 'REVERSED'];
const PAYOUT_STATUSES: PayoutStatus[] = ['PENDING', 'REVIEW', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'REJECTED', 'REVERSED'];
const POSTBACK: PostbackStatus[] = ['NOT_SENT', 'PENDING', 'SENT', 'ERROR'];
const ACCUMULATION: AccumulationStatus[] = ['NOT_FOUND', 'IN_PROGRESS', 'COMPLETED'];

export const BASE_TIME = Date.UTC(2026, 9, 1, 0, 0, 0);
const HOUR = 3_600_000;

export async function buildWorld(db: Db, opts: { ordersA?: number; ordersB?: number } = {}): Promise<GraphqlWorld> {
  await ensureCurrency(db, 'THB', 2);
  await ensureCurrency(db, 'IDR', 0);
  await ensureCurrency(db, 'USDT', 6, true);
  await ensureCurrency(db, 'USD', 2);

  const a = await createMerchant(db, 'Merchant A');
  const b = await createMerchant(db, 'Merchant B');
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const thb = await createService(db, { code: `THB_BANK_${tag}`, currencyCode: 'THB', kind: 'BANK_TRANSFER' });
  const idr = await createService(db, { code: `IDR_QR_${tag}`, currencyCode: 'IDR', kind: 'QR' });
  const usdt = await createService(db, { code: `USDT_TRC20_${tag}`, currencyCode: 'USDT', kind: 'CRYPTO', chain: 'TRON' });
  const thbPayout = await createService(db, { code: `THB_PAYOUT_${tag}`, currencyCode: 'THB', kind: 'BANK_TRANSFER', direction: 'PAYOUT' });
  for (const m of [a, b]) {
    for (const s of [thb, idr, usdt, thbPayout]) await activateService(db, m.id, s.id, { feeRatePpm: 25_000n, feeFixed: 100n });
  }
  const thb1 = await createChannel(db, { code: `THB1_${tag}`, currencyCode: 'THB', credentialsEnc: 'sealed-secret' });
  const thb2 = await createChannel(db, { code: `THB2_${tag}`, currencyCode: 'THB' });
  const idrCh = await createChannel(db, { code: `IDR_${tag}`, currencyCode: 'IDR' });
  const usdtCh = await createChannel(db, { code: `USDT_${tag}`, currencyCode: 'USDT' });
  await bindChannel(db, thb1.id, thb.id);
  await bindChannel(db, thb2.id, thb.id);
  await bindChannel(db, idrCh.id, idr.id);
  await bindChannel(db, usdtCh.id, usdt.id);
  await bindChannel(db, thb1.id, thbPayout.id);

  const orders: Order[] = [];
  const spec = [
    { merchant: a, count: opts.ordersA ?? 30 },
    { merchant: b, count: opts.ordersB ?? 10 },
  ];
  let n = 0;
  for (const { merchant, count } of spec) {
    for (let i = 0; i < count; i++, n++) {
      const kind = n % 3;
      const service = kind === 0 ? thb : kind === 1 ? idr : usdt;
      const channel = kind === 0 ? (n % 2 === 0 ? thb1 : thb2) : kind === 1 ? idrCh : usdtCh;
      const digitsScale = kind === 0 ? 100n : kind === 1 ? 1n : 1_000_000n;
      const status = ORDER_STATUSES[n % ORDER_STATUSES.length]!;
      // Ties on createdAt every 8 rows, so the id tie-breaker matters.
      const createdAt = new Date(BASE_TIME + (n - (n % 8 === 1 ? 1 : 0)) * HOUR);
      const paid = status === 'SUCCEEDED' || status === 'REVERSED';
      const amount = BigInt(100 + ((n * 37) % 500)) * digitsScale;
      orders.push(
        await db.order.create({
          data: {
            orderNo: `GQ${tag}${String(n).padStart(4, '0')}`,
            prepayId: `pp_${tag}_${n}`,
            merchantId: merchant.id,
            serviceId: service.id,
            channelId: n % 11 === 10 ? null : channel.id,
            outTradeNo: `OUT-${tag}-${n}`,
            status,
            currencyCode: service.currencyCode,
            chain: service.chain,
            amount,
            paidAmount: paid ? amount : 0n,
            fee: paid ? amount / 40n : 0n,
            userLabel: `user-${n % 6}`,
            payerName: `Payer ${n}`,
            payerAccount: `4111222233${String(n).padStart(4, '0')}`,
            payerIdNumber: `ID-9876543${n}`,
            test: n % 5 === 0,
            creationType: n % 4 === 0 ? 'MANUAL' : 'AUTO',
            originality: n % 9 === 0 ? 'FRAUD' : 'NORMAL',
            postbackStatus: POSTBACK[n % POSTBACK.length]!,
            accumulationStatus: ACCUMULATION[n % ACCUMULATION.length]!,
            requestHash: 'x'.repeat(64),
            expireAt: new Date(createdAt.getTime() + HOUR),
            paidAt: paid ? new Date(createdAt.getTime() + 10 * 60_000 + (n % 3) * 60_000) : null,
            createdAt,
            upstreamRef: `UP-${n}`,
          },
        }),
      );
    }
  }

  // Payments and deliveries for the paid orders.
  for (const order of orders) {
    if (order.paidAt && order.channelId) {
      await db.payment.create({
        data: {
          orderId: order.id,
          channelId: order.channelId,
          txnId: `TX-${order.orderNo}`,
          amount: order.amount,
          currencyCode: order.currencyCode,
          paidAt: order.paidAt,
        },
      });
    }
    if (order.status !== 'PENDING') {
      await db.delivery.create({
        data: {
          eventId: `ev_${order.orderNo}`,
          eventType: 'payin.status',
          merchantId: order.merchantId,
          orderId: order.id,
          url: 'https://merchant.example/notify',
          body: '{}',
          sequence: 1,
          status: order.postbackStatus === 'SENT' ? 'SENT' : 'PENDING',
          createdAt: order.createdAt,
        },
      });
    }
  }

  const payouts: Payout[] = [];
  for (let i = 0; i < 14; i++) {
    const merchant = i < 10 ? a : b;
    const status = PAYOUT_STATUSES[i % PAYOUT_STATUSES.length]!;
    const createdAt = new Date(BASE_TIME + i * 2 * HOUR);
    payouts.push(
      await db.payout.create({
        data: {
          payoutNo: `GP${tag}${String(i).padStart(4, '0')}`,
          merchantId: merchant.id,
          serviceId: thbPayout.id,
          channelId: thb1.id,
          outTradeNo: `POUT-${tag}-${i}`,
          status,
          currencyCode: 'THB',
          amount: BigInt(1000 + i * 250) * 100n,
          fee: 100n,
          recipientName: `Recipient ${i}`,
          recipientAccount: `99887766${String(i).padStart(4, '0')}`,
          recipientIdNumber: `RID-${i}-12345`,
          userLabel: `puser-${i % 3}`,
          test: i % 4 === 0,
          creationType: i % 3 === 0 ? 'MANUAL' : 'AUTO',
          postbackStatus: POSTBACK[i % POSTBACK.length]!,
          requestHash: 'y'.repeat(64),
          finishedAt: ['SUCCEEDED', 'FAILED', 'REJECTED', 'REVERSED'].includes(status) ? new Date(createdAt.getTime() + HOUR) : null,
          createdAt,
        },
      }),
    );
  }

  // Money: balances for both merchants through the ledger.
  for (const [m, thbMinor, idrMinor] of [
    [a, 123_456n, 5_000_000n],
    [b, 777_700n, 0n],
  ] as const) {
    await postTransaction(db, {
      kind: 'ADJUSTMENT',
      idempotencyKey: `gq-${tag}-${m.id}-thb`,
      test: false,
      lines: [
        { account: merchantAccount(m.id, 'THB', 'AVAILABLE'), amount: thbMinor },
        { account: platformAccount('THB', 'ADJUSTMENT'), amount: -thbMinor },
      ],
    });
    if (idrMinor > 0n) {
      await postTransaction(db, {
        kind: 'ADJUSTMENT',
        idempotencyKey: `gq-${tag}-${m.id}-idr`,
        test: false,
        lines: [
          { account: merchantAccount(m.id, 'IDR', 'PENDING'), amount: idrMinor },
          { account: platformAccount('IDR', 'ADJUSTMENT'), amount: -idrMinor },
        ],
      });
    }
  }
  for (const m of [a, b]) {
    const account = await db.ledgerAccount.findFirstOrThrow({ where: { ownerType: 'MERCHANT', ownerId: m.id, currencyCode: 'THB', kind: 'AVAILABLE' } });
    for (let d = 1; d <= 3; d++) {
      await db.dailyStatement.create({
        data: {
          merchantId: m.id,
          accountId: account.id,
          currencyCode: 'THB',
          date: new Date(Date.UTC(2026, 9, d)),
          timezone: 'UTC',
          opening: BigInt(d) * 1000n,
          inflow: 500n,
          outflow: 200n,
          fees: 10n,
          closing: BigInt(d) * 1000n + 300n,
          inCount: 2,
          outCount: 1,
        },
      });
    }
  }

  const destination = await db.merchantDestination.create({
    data: { merchantId: a.id, kind: 'BANK', label: 'Main account', currencyCode: 'THB', bankName: 'KBank', accountName: 'A Co', accountNumber: '123456789012' },
  });
  await db.fundRequest.create({
    data: { requestNo: `FR${tag}1`, merchantId: a.id, kind: 'TRANSFER', currencyCode: 'THB', amount: 10_000n, targetMerchantId: b.id },
  });
  await db.fundRequest.create({
    data: { requestNo: `FR${tag}2`, merchantId: a.id, kind: 'WITHDRAWAL', currencyCode: 'THB', amount: 20_000n, destinationId: destination.id },
  });
  await db.fundRequest.create({
    data: { requestNo: `FR${tag}3`, merchantId: b.id, kind: 'RECHARGE', currencyCode: 'THB', amount: 30_000n, status: 'APPROVED' },
  });

  for (const m of [a, b]) {
    await db.app.create({ data: { appId: randomBytes(16).toString('hex'), merchantId: m.id, name: `App of ${m.name}`, ipWhitelist: ['10.0.0.0/8'] } });
    await db.auditLog.create({ data: { actorType: 'SYSTEM', merchantId: m.id, action: 'test.action', entityType: 'Merchant', entityId: m.id } });
  }
  await db.auditLog.create({ data: { actorType: 'SYSTEM', action: 'platform.action' } });

  return { a, b, services: { thb, idr, usdt, thbPayout }, channels: { thb1, thb2, idr: idrCh, usdt: usdtCh }, orders, payouts };
}
