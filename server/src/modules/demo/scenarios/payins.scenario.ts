/**
 * Demo payins: the month's orders in every status (paid in one or several payments, overpaid,
 * accumulating, expired, failed, closed, reversed, flagged as fraud), with their payments, timelines,
 * T+N settlements and planned ledger postings.
 */
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { AccumulationStatus, ActorType, CreationType, OrderStatus, OrderType, Originality, PostbackStatus } from '../../../generated/prisma/enums.ts';
import { computeFee, formatAmount } from '../../../lib/money.ts';
import { newPrepayId, newRowId } from '../../../lib/ids.ts';
import { channelAccount, merchantAccount, platformAccount } from '../../ledger/ledger.service.ts';
import { nextOutTradeNo, posting, sha256, uniqueOrderNo, type PlannedPosting, type SeedContext } from '../demo-context.ts';
import type { Rng } from '../demo-rng.ts';
import { minorStep, pickAmountAndChannel, roundDown } from '../demo-routing.ts';
import { compress, DAY, HOUR, MIN, sampleTime, SEC } from '../demo-time.ts';
import type { CurrencySpec } from '../fixtures/catalog.fixture.ts';
import { writers } from '../fixtures/merchants.fixture.ts';
import { instructionsFor, pickParty, tronAddress } from '../fixtures/parties.fixture.ts';
import { callbackEvent, type TimelineEvent } from './timeline.ts';

const PAYIN_STATUS_MIX: readonly [OrderStatus, number][] = [
  ['SUCCEEDED', 70],
  ['PENDING', 4],
  ['PROCESSING', 6],
  ['EXPIRED', 12],
  ['FAILED', 5],
  ['CLOSED', 2],
  ['REVERSED', 1],
];

const PAYIN_FAILURES = [
  'Payer cancelled the payment at the bank',
  'Upstream declined: risk control',
  'Upstream reported a payment timeout',
  'Card type not supported by the upstream',
];

export interface PlannedPayin {
  order: Prisma.OrderCreateManyInput;
  payments: Prisma.PaymentCreateManyInput[];
  events: Prisma.OrderEventCreateManyInput[];
  settlement: Prisma.PendingSettlementCreateManyInput | null;
  postings: PlannedPosting[];
}

export function planPayin(ctx: SeedContext): PlannedPayin {
  const { rng, now } = ctx;
  const m = rng.weighted(ctx.merchants, (x) => x.spec.payinShare);
  const ms = rng.weighted(m.payins, (x) => x.spec.share);
  const service = ms.service.spec;
  const currency = ctx.currencies.get(service.currency)!;
  const status = rng.weighted(PAYIN_STATUS_MIX, (x) => x[1])[0];
  const settlementDays = ms.spec.settlementDays ?? 0;
  const expireMs = service.expireSeconds * SEC;

  // When it was created: live statuses only in the last hour, finished ones early enough to have finished.
  let from = ctx.start;
  let to = now - 2 * MIN;
  if (status === 'PENDING' || status === 'PROCESSING') {
    from = now - Math.min(50 * MIN, expireMs - 5 * MIN);
    to = now - 5 * SEC;
  } else if (status === 'EXPIRED') {
    to = now - expireMs - 2 * MIN;
  } else if (status === 'REVERSED') {
    to = now - (settlementDays + 3) * DAY;
  }
  const t0 = sampleTime(rng, from, to, m.spec.utcOffsetHours, ctx.start, now);
  const { amount, channel, route } = pickAmountAndChannel(ctx, ms, { lower: ms.spec.lower, upper: ms.spec.upper }, ms.spec.median);
  const id = newRowId(t0);
  const expireAt = t0 + expireMs;

  const manual = rng.chance(0.03);
  const test = manual && rng.chance(0.6);
  const creatorId = manual ? rng.pick([...writers(m), ctx.staff.get('SUPPORT_AGENT')!]) : undefined;
  const creator: { actorType: ActorType; actorId: string } = manual
    ? { actorType: 'USER', actorId: creatorId! }
    : { actorType: 'APP', actorId: m.app.appId };

  // Offsets (ms after creation) of each step, compressed when they would pass the deadline.
  const steps: Record<string, number> = {};
  const paymentOffsets: number[] = [];
  const reachesProcessing = status !== 'PENDING' && status !== 'CLOSED' && !(status === 'EXPIRED' && rng.chance(0.6));
  if (reachesProcessing) steps.processing = rng.int(5 * SEC, 3 * MIN);
  let parts: bigint[] = [];
  let accumulation: AccumulationStatus = 'NOT_FOUND';
  if (status === 'SUCCEEDED' || status === 'REVERSED') {
    parts = splitPayment(rng, amount, currency);
    accumulation = 'COMPLETED';
  } else if (status === 'PROCESSING' && rng.chance(0.25)) {
    parts = [roundDown((amount * BigInt(rng.int(30, 80))) / 100n, minorStep(currency)) || 1n];
    accumulation = 'IN_PROGRESS';
  }
  let offset = steps.processing ?? 0;
  for (const [i] of parts.entries()) {
    offset += i === 0 ? rng.int(20 * SEC, 10 * MIN) : rng.int(1 * MIN, 15 * MIN);
    paymentOffsets.push(offset);
  }
  if (status === 'SUCCEEDED' || status === 'REVERSED') steps.succeeded = offset + rng.int(100, 1500);
  if (status === 'FAILED') steps.failed = (steps.processing ?? 0) + rng.int(1 * MIN, 25 * MIN);
  if (status === 'CLOSED') steps.closed = rng.int(1 * MIN, 12 * MIN);
  const budget = Math.min(status === 'PENDING' || status === 'PROCESSING' ? Infinity : expireMs - SEC, now - t0 - SEC);
  compress(steps, paymentOffsets, budget);

  const events: TimelineEvent<OrderStatus>[] = [];
  const postings: PlannedPosting[] = [];
  const fmt = (v: bigint) => formatAmount(v, currency.digits);
  events.push({ type: 'CREATED', from: null, to: 'PENDING', at: t0, ...creator, message: manual ? 'order created in the back office' : 'order created through the API', data: { amount: fmt(amount), currency: currency.code, service: service.code } });
  events.push({ type: 'ROUTED', from: null, to: null, at: t0 + rng.int(20, 400), actorType: 'SYSTEM', message: `routed to channel ${channel.spec.code}`, data: route.reason as unknown as Prisma.InputJsonValue });

  const upstreamRef = reachesProcessing ? `${channel.spec.ref}${rng.digits(12)}` : null;
  if (steps.processing !== undefined) {
    events.push({ type: 'PROCESSING', from: 'PENDING', to: 'PROCESSING', at: t0 + steps.processing, actorType: 'UPSTREAM', message: 'upstream accepted the order', data: { upstreamRef } });
  }

  const payments: Prisma.PaymentCreateManyInput[] = [];
  let paid = 0n;
  for (const [i, part] of parts.entries()) {
    const at = t0 + paymentOffsets[i]!;
    paid += part;
    const txnId = `${channel.spec.ref}T${rng.digits(10)}${String(++ctx.txnSeq).padStart(6, '0')}`;
    payments.push({ id: newRowId(at), orderId: id, channelId: channel.id, txnId, amount: part, currencyCode: currency.code, status: status === 'REVERSED' ? 'REVERSED' : 'SUCCEEDED', paidAt: new Date(at), createdAt: new Date(at) });
    events.push({
      type: 'PAYMENT_RECEIVED', from: null, to: null, at, actorType: 'UPSTREAM',
      message: paid < amount ? `payment ${i + 1} received; waiting for the rest` : `payment ${i + 1} received`,
      data: { txnId, amount: fmt(part), paidAmount: fmt(paid) },
    });
  }

  const feeQuote = computeFee(amount, ms.ratePpm, ms.spec.feeFixed);
  let fee = feeQuote;
  let paidAt: number | null = null;
  let finishedAt: number | null = null;
  let originality: Originality = 'NORMAL';
  let settlement: Prisma.PendingSettlementCreateManyInput | null = null;

  if (steps.succeeded !== undefined) {
    paidAt = t0 + steps.succeeded;
    finishedAt = paidAt;
    fee = computeFee(paid, ms.ratePpm, ms.spec.feeFixed);
    const net = paid - fee;
    events.push({
      type: 'SUCCEEDED', from: 'PROCESSING', to: 'SUCCEEDED', at: paidAt, actorType: 'SYSTEM',
      message: paid > amount ? `paid ${fmt(paid)}, more than the order amount` : 'order paid',
      data: { paidAmount: fmt(paid), fee: fmt(fee), net: fmt(net) },
    });
    const target = settlementDays > 0 ? 'PENDING' : 'AVAILABLE';
    postings.push(posting(ctx, paidAt, {
      kind: 'PAYIN_SUCCESS', idempotencyKey: `payin:${id}:success`, test, referenceType: 'ORDER', referenceId: id,
      lines: [
        { account: channelAccount(channel.id, currency.code), amount: -paid },
        { account: merchantAccount(m.id, currency.code, target), amount: net },
        { account: platformAccount(currency.code, 'FEES'), amount: fee },
      ],
    }));
    if (settlementDays > 0) {
      const releaseAt = paidAt + settlementDays * DAY;
      const released = releaseAt <= now;
      settlement = { id: newRowId(paidAt), merchantId: m.id, orderId: id, currencyCode: currency.code, amount: net, releaseAt: new Date(releaseAt), releasedAt: released ? new Date(releaseAt) : null, test, createdAt: new Date(paidAt) };
      if (released) {
        postings.push(posting(ctx, releaseAt, {
          kind: 'SETTLEMENT_RELEASE', idempotencyKey: `settlement:${id}:release`, test, referenceType: 'ORDER', referenceId: id,
          lines: [
            { account: merchantAccount(m.id, currency.code, 'PENDING'), amount: -net },
            { account: merchantAccount(m.id, currency.code, 'AVAILABLE'), amount: net },
          ],
        }));
      }
    }
    // A reversed order told the merchant about its success first.
    if (status === 'REVERSED') callbackEvent(ctx, events, paidAt, 'SENT', m.app.payinNotifyUrl, 3);

    if (status === 'REVERSED') {
      const reversedAt = paidAt + settlementDays * DAY + rng.int(2 * HOUR, 48 * HOUR);
      finishedAt = reversedAt;
      events.push({ type: 'REVERSED', from: 'SUCCEEDED', to: 'REVERSED', at: reversedAt, actorType: 'UPSTREAM', message: 'status reversal: the upstream reported the payment as failed (chargeback)' });
      postings.push(posting(ctx, reversedAt, {
        kind: 'PAYIN_REVERSAL', idempotencyKey: `payin:${id}:reversal`, test, referenceType: 'ORDER', referenceId: id,
        lines: [
          { account: merchantAccount(m.id, currency.code, 'AVAILABLE'), amount: -net },
          { account: platformAccount(currency.code, 'FEES'), amount: -fee },
          { account: channelAccount(channel.id, currency.code), amount: paid },
        ],
      }));
      if (rng.chance(0.5)) originality = 'FRAUD';
    } else if (rng.chance(0.015)) {
      originality = 'FRAUD';
    }
    if (originality === 'FRAUD') {
      const at = Math.min((finishedAt ?? paidAt) + rng.int(10 * MIN, 24 * HOUR), now - MIN);
      events.push({ type: 'MARKED_FRAUD', from: null, to: null, at: Math.max(at, (finishedAt ?? paidAt) + 1), actorType: 'USER', actorId: ctx.staff.get('SUPPORT_AGENT')!, message: 'flagged as fraud by support' });
    }
  } else if (status === 'FAILED') {
    finishedAt = t0 + steps.failed!;
    events.push({ type: 'FAILED', from: 'PROCESSING', to: 'FAILED', at: finishedAt, actorType: 'UPSTREAM', message: rng.pick(PAYIN_FAILURES) });
  } else if (status === 'CLOSED') {
    finishedAt = t0 + steps.closed!;
    events.push({ type: 'CLOSED', from: 'PENDING', to: 'CLOSED', at: finishedAt, actorType: creator.actorType, actorId: creator.actorId, message: 'closed by the merchant before payment' });
  } else if (status === 'EXPIRED') {
    finishedAt = expireAt;
    events.push({ type: 'EXPIRED', from: reachesProcessing ? 'PROCESSING' : 'PENDING', to: 'EXPIRED', at: expireAt, actorType: 'SYSTEM', message: 'expired unpaid' });
  }

  let postback: PostbackStatus = 'NOT_SENT';
  if (finishedAt !== null) {
    postback = rng.chance(0.05) ? 'ERROR' : 'SENT';
    const sequence = events.filter((e) => e.to !== null).length;
    const lastStatusAt = Math.max(...events.filter((e) => e.to !== null).map((e) => e.at));
    callbackEvent(ctx, events, lastStatusAt, postback, m.app.payinNotifyUrl, sequence);
  }

  // Payer: a returning customer of this merchant and service.
  const party = pickParty(rng, m.parties, service);
  const required = new Set(service.requiredFields);
  const orderType: OrderType = service.kind === 'CRYPTO' && rng.chance(0.25) ? 'MERCHANT_ORDER' : 'PLATFORM_ORDER';
  const toAddress = service.kind === 'CRYPTO' ? tronAddress(rng) : null;
  const remarkCode = required.has('remark_code') ? rng.code(6) : null;
  const outTradeNo = nextOutTradeNo(m, t0, rng);
  const description = rng.pick(m.spec.descriptions);
  const params = {
    mch_id: m.mchId, out_trade_no: outTradeNo, service: service.code, amount: fmt(amount), currency: currency.code, chain: service.chain ?? null,
    order_type: orderType.toLowerCase(), expire_second: service.expireSeconds, description,
    payer_name: required.has('payer_name') ? party.name : null, payer_account: required.has('payer_account') ? party.account : null,
    bank_code: required.has('bank_code') ? party.bankCode : null, payer_phone: required.has('payer_phone') ? party.phone : null,
    payer_id_number: required.has('payer_id_number') ? party.idNumber : null, remark_code: remarkCode, to_address: orderType === 'MERCHANT_ORDER' ? toAddress : null,
  };

  const orderedEvents = events.sort((a, b) => a.at - b.at);
  const lastAt = orderedEvents[orderedEvents.length - 1]!.at;
  const order: Prisma.OrderCreateManyInput = {
    id,
    orderNo: uniqueOrderNo(ctx, 'P', t0),
    prepayId: newPrepayId(),
    merchantId: m.id,
    appId: m.app.id,
    serviceId: ms.service.id,
    channelId: channel.id,
    outTradeNo,
    status,
    sequence: orderedEvents.filter((e) => e.to !== null).length,
    currencyCode: currency.code,
    chain: service.chain ?? null,
    amount,
    paidAmount: paid,
    fee,
    orderType,
    description,
    attach: rng.chance(0.4) ? JSON.stringify({ uid: party.label, src: rng.pick(['web', 'ios', 'android']) }) : null,
    locale: rng.pick(m.spec.locales),
    notifyUrl: m.app.payinNotifyUrl,
    returnUrl: `${m.spec.site}/deposit/return`,
    toAddress,
    userLabel: party.label,
    payerName: required.has('payer_name') ? party.name : null,
    payerAccount: required.has('payer_account') ? party.account : null,
    bankCode: required.has('bank_code') ? party.bankCode : null,
    payerPhone: required.has('payer_phone') ? party.phone : null,
    payerIdNumber: required.has('payer_id_number') ? party.idNumber : null,
    remarkCode,
    instructions: instructionsFor(rng, service, channel, amount, currency, toAddress, remarkCode),
    upstreamRef,
    test,
    creationType: (manual ? 'MANUAL' : 'AUTO') satisfies CreationType,
    originality,
    postbackStatus: postback,
    accumulationStatus: accumulation,
    requestHash: sha256(JSON.stringify(params)),
    createdById: creatorId ?? null,
    expireAt: new Date(expireAt),
    paidAt: paidAt === null ? null : new Date(paidAt),
    finishedAt: finishedAt === null ? null : new Date(finishedAt),
    createdAt: new Date(t0),
    updatedAt: new Date(lastAt),
  };
  return {
    order,
    payments,
    events: orderedEvents.map((e) => ({
      orderId: id, type: e.type, fromStatus: e.from, toStatus: e.to, message: e.message ?? null, data: e.data, actorType: e.actorType, actorId: e.actorId ?? null, createdAt: new Date(e.at),
    })),
    settlement,
    postings,
  };
}

/** One payment (88%), 2–3 payments accumulating to the amount (9%), or an overpayment (3%). */
function splitPayment(rng: Rng, amount: bigint, currency: CurrencySpec): bigint[] {
  const step = minorStep(currency);
  const r = rng.next();
  let total = amount;
  if (r >= 0.97) total = amount + (roundDown((amount * BigInt(rng.int(1, 5))) / 100n, step) || step);
  const splits = r >= 0.88 ? (r >= 0.97 ? rng.int(1, 2) : rng.int(2, 3)) : 1;
  const parts: bigint[] = [];
  let remaining = total;
  for (let i = 1; i < splits; i++) {
    const part = roundDown((remaining * BigInt(rng.int(30, 70))) / 100n, step);
    if (part <= 0n || part >= remaining) break;
    parts.push(part);
    remaining -= part;
  }
  parts.push(remaining);
  return parts;
}

