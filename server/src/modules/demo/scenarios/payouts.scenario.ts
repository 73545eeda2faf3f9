/**
 * Demo payouts: the month's payouts, all live, in every status (paid, failed, held for review and
 * approved or rejected by finance, in flight), with their timelines and planned ledger postings.
 *
 * The postings have the shape of `payouts.ledger.ts` (freeze, settle, release), so the worker can
 * settle or release an in-flight demo payout like any other: the freeze also reserves the amount of the
 * channel's BALANCE into its CLEARING account, which the settlement empties and a release gives back.
 * They are planned rather than posted through that module because they happen in the past (its
 * functions post at the current time).
 */
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { ActorType, PayoutStatus, PostbackStatus } from '../../../generated/prisma/enums.ts';
import { computeFee, formatAmount, intersectLimits } from '../../../lib/money.ts';
import { newRowId } from '../../../lib/ids.ts';
import { channelAccount, merchantAccount, platformAccount } from '../../ledger/ledger.service.ts';
import { channelClearingAccount } from '../../payouts/payouts.ledger.ts';
import { nextOutTradeNo, posting, sha256, uniqueOrderNo, type PlannedPosting, type SeedContext } from '../demo-context.ts';
import { minorStep, pickAmountAndChannel } from '../demo-routing.ts';
import { compress, HOUR, MIN, sampleTime, SEC } from '../demo-time.ts';
import { writers } from '../fixtures/merchants.fixture.ts';
import { pickParty } from '../fixtures/parties.fixture.ts';
import { largePayoutRuleName, PAYOUT_REVIEW_THRESHOLDS } from '../fixtures/risk.fixture.ts';
import { callbackEvent, type TimelineEvent } from './timeline.ts';

const PAYOUT_STATUS_MIX: readonly [PayoutStatus, number][] = [
  ['SUCCEEDED', 80],
  ['FAILED', 8],
  ['REJECTED', 3],
  ['REVIEW', 3],
  ['PROCESSING', 6],
];

const PAYOUT_FAILURES = [
  'Recipient account does not exist',
  'Recipient name does not match the account',
  'Upstream rejected: daily limit of the recipient bank reached',
  'Recipient bank under maintenance',
];

export interface PlannedPayout {
  payout: Prisma.PayoutCreateManyInput;
  events: Prisma.PayoutEventCreateManyInput[];
  postings: PlannedPosting[];
}

export function planPayout(ctx: SeedContext): PlannedPayout {
  const { rng, now } = ctx;
  const m = rng.weighted(ctx.merchants, (x) => x.spec.payoutShare);
  const ms = rng.weighted(m.payouts, (x) => x.spec.share);
  const service = ms.service.spec;
  const currency = ctx.currencies.get(service.currency)!;
  const status = rng.weighted(PAYOUT_STATUS_MIX, (x) => x[1])[0];
  const threshold = PAYOUT_REVIEW_THRESHOLDS.get(currency.code) ?? null;

  let from = ctx.start;
  let to = now - 5 * MIN;
  if (status === 'PROCESSING') {
    from = now - 50 * MIN;
    to = now - 10 * SEC;
  } else if (status === 'REVIEW') {
    from = now - 12 * HOUR;
    to = now - MIN;
  }
  const t0 = sampleTime(rng, from, to, m.spec.utcOffsetHours, ctx.start, now);

  const mustReview = (status === 'REVIEW' || status === 'REJECTED') && threshold !== null;
  const range = mustReview
    ? intersectLimits([{ lower: ms.spec.lower, upper: ms.spec.upper }, { lower: threshold + minorStep(currency), upper: threshold * 3n }])
    : { lower: ms.spec.lower, upper: ms.spec.upper === 0n ? null : ms.spec.upper, empty: false };
  const { amount, channel, route } = pickAmountAndChannel(ctx, ms, { lower: range.lower, upper: range.upper ?? 0n }, mustReview ? threshold + threshold / 2n : ms.spec.median);
  const reviewed = threshold !== null && amount > threshold;
  const finalStatus: PayoutStatus = !reviewed && (status === 'REVIEW' || status === 'REJECTED') ? 'SUCCEEDED' : status;
  const fee = computeFee(amount, ms.ratePpm, ms.spec.feeFixed);
  const hold = amount + fee;
  const id = newRowId(t0);
  const fmt = (v: bigint) => formatAmount(v, currency.digits);

  const manual = rng.chance(0.03);
  const creatorId = manual ? rng.pick(writers(m)) : undefined;
  const creator: { actorType: ActorType; actorId: string } = manual ? { actorType: 'USER', actorId: creatorId! } : { actorType: 'APP', actorId: m.app.appId };

  const steps: Record<string, number> = { frozen: rng.int(5, 50) };
  steps.routed = steps.frozen! + rng.int(10, 200);
  if (reviewed) {
    steps.review = steps.routed + rng.int(100, 500);
    if (finalStatus !== 'REVIEW') steps.decision = steps.review + rng.int(10 * MIN, 4 * HOUR);
  }
  if (finalStatus === 'SUCCEEDED' || finalStatus === 'FAILED' || finalStatus === 'PROCESSING') {
    steps.submitted = (steps.decision ?? steps.routed) + rng.int(2 * SEC, 30 * SEC);
  }
  if (finalStatus === 'SUCCEEDED') steps.final = steps.submitted! + rng.int(1 * MIN, 40 * MIN);
  if (finalStatus === 'FAILED') steps.final = steps.submitted! + rng.int(1 * MIN, 60 * MIN);
  compress(steps, [], now - t0 - SEC);

  const events: TimelineEvent<PayoutStatus>[] = [];
  const postings: PlannedPosting[] = [];
  events.push({ type: 'CREATED', from: null, to: 'PENDING', at: t0, ...creator, message: manual ? 'payout created in the back office' : 'payout created through the API', data: { amount: fmt(amount), fee: fmt(fee), currency: currency.code, service: service.code } });
  events.push({ type: 'FUNDS_FROZEN', from: null, to: null, at: t0 + steps.frozen!, actorType: 'SYSTEM', message: `froze ${fmt(hold)} ${currency.code} (amount + fee)`, data: { amount: fmt(hold) } });
  postings.push(posting(ctx, t0 + steps.frozen!, {
    kind: 'PAYOUT_FREEZE', idempotencyKey: `payout:${id}:freeze`, test: false, referenceType: 'PAYOUT', referenceId: id,
    lines: [
      { account: merchantAccount(m.id, currency.code, 'AVAILABLE'), amount: -hold },
      { account: merchantAccount(m.id, currency.code, 'FROZEN'), amount: hold },
      { account: channelAccount(channel.id, currency.code), amount },
      { account: channelClearingAccount(channel.id, currency.code), amount: -amount },
    ],
  }));
  events.push({ type: 'ROUTED', from: null, to: null, at: t0 + steps.routed!, actorType: 'SYSTEM', message: `routed to channel ${channel.spec.code}`, data: route.reason as unknown as Prisma.InputJsonValue });

  let reviewedById: string | null = null;
  let reviewedAt: number | null = null;
  let reviewNote: string | null = null;
  let current: PayoutStatus = 'PENDING';
  if (steps.review !== undefined) {
    events.push({ type: 'REVIEW', from: 'PENDING', to: 'REVIEW', at: t0 + steps.review, actorType: 'SYSTEM', message: `risk rule "${largePayoutRuleName(currency.code)}": amount above ${fmt(threshold!)}`, data: { rule: largePayoutRuleName(currency.code) } });
    current = 'REVIEW';
  }
  if (steps.decision !== undefined) {
    reviewedById = ctx.staff.get('FINANCE')!;
    reviewedAt = t0 + steps.decision;
    if (finalStatus === 'REJECTED') {
      reviewNote = rng.pick(['Recipient could not be verified', 'Amount unusual for this user', 'Merchant asked to cancel']);
      events.push({ type: 'REJECTED', from: 'REVIEW', to: 'REJECTED', at: reviewedAt, actorType: 'USER', actorId: reviewedById, message: reviewNote });
    } else {
      reviewNote = rng.pick(['Verified with the merchant', 'Known recipient', 'Approved']);
      events.push({ type: 'APPROVED', from: null, to: null, at: reviewedAt, actorType: 'USER', actorId: reviewedById, message: reviewNote });
    }
  }
  let upstreamRef: string | null = null;
  if (steps.submitted !== undefined) {
    upstreamRef = `${channel.spec.ref}P${rng.digits(12)}`;
    events.push({ type: 'PROCESSING', from: current, to: 'PROCESSING', at: t0 + steps.submitted, actorType: 'SYSTEM', message: 'submitted to the upstream', data: { upstreamRef } });
  }
  let failureReason: string | null = null;
  let finishedAt: number | null = null;
  if (finalStatus === 'SUCCEEDED') {
    finishedAt = t0 + steps.final!;
    events.push({ type: 'SUCCEEDED', from: 'PROCESSING', to: 'SUCCEEDED', at: finishedAt, actorType: 'UPSTREAM', message: 'paid out by the upstream' });
    postings.push(posting(ctx, finishedAt, {
      kind: 'PAYOUT_SETTLE', idempotencyKey: `payout:${id}:settle`, test: false, referenceType: 'PAYOUT', referenceId: id,
      lines: [
        { account: merchantAccount(m.id, currency.code, 'FROZEN'), amount: -hold },
        { account: platformAccount(currency.code, 'FEES'), amount: fee },
        { account: channelClearingAccount(channel.id, currency.code), amount },
      ],
    }));
  } else if (finalStatus === 'FAILED' || finalStatus === 'REJECTED') {
    finishedAt = finalStatus === 'FAILED' ? t0 + steps.final! : reviewedAt!;
    if (finalStatus === 'FAILED') {
      failureReason = rng.pick(PAYOUT_FAILURES);
      events.push({ type: 'FAILED', from: 'PROCESSING', to: 'FAILED', at: finishedAt, actorType: 'UPSTREAM', message: failureReason });
    }
    events.push({ type: 'FUNDS_RELEASED', from: null, to: null, at: finishedAt + rng.int(1, 20), actorType: 'SYSTEM', message: `released ${fmt(hold)} ${currency.code}`, data: { amount: fmt(hold) } });
    postings.push(posting(ctx, finishedAt, {
      kind: 'PAYOUT_RELEASE', idempotencyKey: `payout:${id}:release`, test: false, referenceType: 'PAYOUT', referenceId: id,
      lines: [
        { account: merchantAccount(m.id, currency.code, 'FROZEN'), amount: -hold },
        { account: merchantAccount(m.id, currency.code, 'AVAILABLE'), amount: hold },
        { account: channelAccount(channel.id, currency.code), amount: -amount },
        { account: channelClearingAccount(channel.id, currency.code), amount },
      ],
    }));
  }
  let postback: PostbackStatus = 'NOT_SENT';
  const sequence = events.filter((e) => e.to !== null).length;
  if (finishedAt !== null) {
    postback = rng.chance(0.05) ? 'ERROR' : 'SENT';
    callbackEvent(ctx, events, finishedAt + 25, postback, m.app.payoutNotifyUrl, sequence);
  }

  const party = pickParty(rng, m.parties, service);
  const required = new Set(service.requiredFields);
  const outTradeNo = nextOutTradeNo(m, t0, rng, 'W');
  const recipientAccount = party.account;
  const params = {
    mch_id: m.mchId, out_trade_no: outTradeNo, service: service.code, amount: fmt(amount), currency: currency.code,
    recipient_name: required.has('recipient_name') ? party.name : null, recipient_account: recipientAccount,
    bank_code: required.has('bank_code') ? party.bankCode : null, recipient_phone: required.has('recipient_phone') ? party.phone : null,
    recipient_id_number: required.has('recipient_id_number') ? party.idNumber : null,
  };
  const orderedEvents = events.sort((a, b) => a.at - b.at);
  const payout: Prisma.PayoutCreateManyInput = {
    id,
    payoutNo: uniqueOrderNo(ctx, 'W', t0),
    merchantId: m.id,
    appId: m.app.id,
    serviceId: ms.service.id,
    channelId: channel.id,
    outTradeNo,
    status: finalStatus,
    sequence,
    currencyCode: currency.code,
    chain: service.chain ?? null,
    amount,
    fee,
    recipientName: required.has('recipient_name') ? party.name : null,
    recipientAccount,
    bankCode: required.has('bank_code') ? party.bankCode : null,
    recipientPhone: required.has('recipient_phone') ? party.phone : null,
    recipientIdNumber: required.has('recipient_id_number') ? party.idNumber : null,
    description: rng.pick(['Withdrawal', 'Player withdrawal', 'Refund', 'Supplier payment']),
    notifyUrl: m.app.payoutNotifyUrl,
    userLabel: party.label,
    upstreamRef,
    failureReason,
    reviewNote,
    reviewedById,
    reviewedAt: reviewedAt === null ? null : new Date(reviewedAt),
    // Demo payouts are live: a test payout would need test balance, which the month's test payins
    // (a share of the manual orders) do not reliably leave at the right time.
    test: false,
    creationType: manual ? 'MANUAL' : 'AUTO',
    originality: rng.chance(0.005) ? 'FRAUD' : 'NORMAL',
    postbackStatus: postback,
    requestHash: sha256(JSON.stringify(params)),
    createdById: creatorId ?? null,
    submittedAt: steps.submitted === undefined ? null : new Date(t0 + steps.submitted),
    finishedAt: finishedAt === null ? null : new Date(finishedAt),
    createdAt: new Date(t0),
    updatedAt: new Date(orderedEvents[orderedEvents.length - 1]!.at),
  };
  return {
    payout,
    events: orderedEvents.map((e) => ({
      payoutId: id, type: e.type, fromStatus: e.from, toStatus: e.to, message: e.message ?? null, data: e.data, actorType: e.actorType, actorId: e.actorId ?? null, createdAt: new Date(e.at),
    })),
    postings,
  };
}

