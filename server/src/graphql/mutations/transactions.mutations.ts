import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import '../schema/deliveries.schema.ts';
import { OriginalityEnum } from '../schema/enums.schema.ts';
import { OrderRef } from '../schema/orders.schema.ts';
import '../schema/payouts.schema.ts';
import { resendDeliveryById } from '../../modules/deliveries/deliveries.back-office.ts';
import {
  closePayinById,
  createTestPayin,
  overridePayinStatusById,
  resendPayinNotification,
  setPayinOriginalityById,
  simulatePayinCallback,
  type SimulatedOutcome,
} from '../../modules/orders/payins.back-office.ts';
import {
  createTestPayout,
  decidePayout,
  overridePayoutStatusById,
  resendPayoutNotification,
  setPayoutOriginalityById,
  simulatePayoutCallbackById,
  type PayoutDecision,
} from '../../modules/payouts/payouts.back-office.ts';
import { reasonArg } from './support.ts';

/**
 * Back-office actions on payins, payouts and callbacks (seed 000 "simulate callback", seed 001
 * operations, seed 002 manual status change / mark fraud / resend). Each mutation parses its
 * arguments, calls one service of modules/orders|payouts|deliveries (*.back-office.ts: load the row,
 * NOT_FOUND unless readable, FORBIDDEN unless allowed, one transaction with its timeline event and
 * audit row) and re-reads the row for the selection. Refusals are DomainErrors (`extensions.code`).
 */

const SimulatedOutcomeEnum = builder.enumType('SimulatedOutcome', { values: ['SUCCESS', 'FAILURE', 'REVERSAL'] as const });
const ManualStatusEnum = builder.enumType('ManualStatus', {
  description: 'What staff may set by hand: a success, a failure, or the reversal of a success.',
  values: ['SUCCEEDED', 'FAILED', 'REVERSED'] as const,
});
const outcomeOf = (o: 'SUCCESS' | 'FAILURE' | 'REVERSAL'): SimulatedOutcome => (o === 'SUCCESS' ? 'success' : o === 'FAILURE' ? 'failure' : 'reversal');

const orderId = (raw: string | number) => parseIds('Order', 'id', [String(raw)])![0]!;
const payoutId = (raw: string | number) => parseIds('Payout', 'id', [String(raw)])![0]!;
const channelIdOf = (raw: string | number | null | undefined) => (raw ? parseIds('Channel', 'channelId', [String(raw)])![0]! : null);
const merchantIdOf = (raw: string | number) => parseIds('Merchant', 'merchantId', [String(raw)])![0]!;

// ─────────────────────────────── create test orders (seed 001) ───────────────────────────────

const CreateTestPayinInput = builder.inputType('CreateTestPayinInput', {
  fields: (t) => ({
    merchantId: t.id({ required: true }),
    service: t.string({ required: true, description: 'Service code, e.g. THB_BANK.' }),
    channelId: t.id({ description: 'Route to this channel only; default: the routing rule picks.' }),
    amount: t.field({ type: 'Decimal', required: true }),
    outTradeNo: t.string({ description: 'Default: a generated TEST-… number.' }),
    expireSeconds: t.int(),
    notifyUrl: t.string(),
    returnUrl: t.string(),
    userId: t.string({ description: "The payer's id in the merchant's system (label)." }),
    payerName: t.string(),
    payerAccount: t.string(),
    bankCode: t.string(),
    payerPhone: t.string(),
    payerIdNumber: t.string(),
    remarkCode: t.string(),
    description: t.string(),
  }),
});

type CreatedTestPayin = Awaited<ReturnType<typeof createTestPayin>>;

const CreateTestPayinPayload = builder.objectRef<CreatedTestPayin>('CreateTestPayinPayload').implement({
  fields: (t) => ({
    paymentUrl: t.exposeString('paymentUrl', { description: 'The hosted cashier page of the order.' }),
    order: t.field({ type: OrderRef, resolve: (p) => p.order }),
  }),
});

builder.mutationField('createTestPayin', (t) =>
  t.field({
    type: CreateTestPayinPayload,
    description: 'Create a test deposit for a merchant (seed 001): payer fields the service requires must be given; limits apply.',
    args: { input: t.arg({ type: CreateTestPayinInput, required: true }) },
    resolve: (_root, { input }, ctx) => createTestPayin(ctx, { ...input, merchantId: merchantIdOf(input.merchantId), channelId: channelIdOf(input.channelId) }),
  }),
);

const CreateTestPayoutInput = builder.inputType('CreateTestPayoutInput', {
  fields: (t) => ({
    merchantId: t.id({ required: true }),
    service: t.string({ required: true, description: 'Payout service code, e.g. THB_BANK_PAYOUT.' }),
    channelId: t.id(),
    amount: t.field({ type: 'Decimal', required: true }),
    outTradeNo: t.string(),
    notifyUrl: t.string(),
    userId: t.string(),
    recipientName: t.string(),
    recipientAccount: t.string(),
    bankCode: t.string(),
    recipientPhone: t.string(),
    recipientIdNumber: t.string(),
    description: t.string(),
  }),
});

builder.mutationField('createTestPayout', (t) =>
  t.prismaField({
    type: 'Payout',
    description: 'Create a test payout for a merchant (seed 001): recipient fields by service, limits, balance, risk rules.',
    args: { input: t.arg({ type: CreateTestPayoutInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { payout } = await createTestPayout(ctx, { ...input, merchantId: merchantIdOf(input.merchantId), channelId: channelIdOf(input.channelId) });
      return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id: payout.id } });
    },
  }),
);

// ─────────────────────────────── payins ───────────────────────────────

builder.mutationField('closePayin', (t) =>
  t.prismaField({
    type: 'Order',
    description: 'Close an unpaid payin (PENDING/PROCESSING → CLOSED).',
    args: { id: t.arg.id({ required: true }), reason: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      const { order } = await closePayinById(ctx, { id: orderId(args.id), reason: reasonArg(args.reason, false) });
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id: order.id } });
    },
  }),
);

builder.mutationField('simulatePayinCallback', (t) =>
  t.prismaField({
    type: 'Order',
    description: 'Test orders only (seed 000): the sandbox upstream sends a signed success, failure or reversal callback now.',
    args: { id: t.arg.id({ required: true }), outcome: t.arg({ type: SimulatedOutcomeEnum, required: true }), amount: t.arg({ type: 'Decimal' }) },
    resolve: async (query, _root, args, ctx) => {
      const { order } = await simulatePayinCallback(ctx, { id: orderId(args.id), outcome: outcomeOf(args.outcome), amount: args.amount ?? null });
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id: order.id } });
    },
  }),
);

builder.mutationField('overridePayinStatus', (t) =>
  t.prismaField({
    type: 'Order',
    description: 'Manual status change with a reason (seed 002): paid by hand, failed, or reversal of a success. Audited.',
    args: { id: t.arg.id({ required: true }), status: t.arg({ type: ManualStatusEnum, required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = orderId(args.id);
      await overridePayinStatusById(ctx, { id, status: args.status, reason: reasonArg(args.reason, true)! });
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('setPayinOriginality', (t) =>
  t.prismaField({
    type: 'Order',
    description: 'Mark a payin as fraud (or back to normal), with a reason. Audited.',
    args: { id: t.arg.id({ required: true }), originality: t.arg({ type: OriginalityEnum, required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = orderId(args.id);
      await setPayinOriginalityById(ctx, { id, originality: args.originality, reason: reasonArg(args.reason, true)! });
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

// ─────────────────────────────── payouts ───────────────────────────────

const payoutDecision = (name: string, description: string, decision: PayoutDecision, noteRequired: boolean) =>
  builder.mutationField(name, (t) =>
    t.prismaField({
      type: 'Payout',
      description,
      args: { id: t.arg.id({ required: true }), note: t.arg.string({ required: noteRequired }) },
      resolve: async (query, _root, args, ctx) => {
        const id = payoutId(args.id);
        await decidePayout(ctx, decision, { id, note: reasonArg(args.note, noteRequired, 'note') });
        return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id } });
      },
    }),
  );

payoutDecision('approvePayout', 'Finance approves a payout held in REVIEW: it is sent upstream.', 'approve', false);
payoutDecision('rejectPayout', 'Reject a payout in REVIEW or not yet sent (PENDING); funds are released. A payout sent upstream cannot be cancelled.', 'reject', true);
payoutDecision('reversePayout', 'Reverse a successful payout (the bank returned it): amount and fee go back to the merchant.', 'reverse', true);

builder.mutationField('overridePayoutStatus', (t) =>
  t.prismaField({
    type: 'Payout',
    description: 'Manual status change of a payout with a reason: PROCESSING → SUCCEEDED/FAILED, SUCCEEDED → REVERSED. Audited.',
    args: { id: t.arg.id({ required: true }), status: t.arg({ type: ManualStatusEnum, required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = payoutId(args.id);
      await overridePayoutStatusById(ctx, { id, status: args.status, reason: reasonArg(args.reason, true)! });
      return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('setPayoutOriginality', (t) =>
  t.prismaField({
    type: 'Payout',
    description: 'Mark a payout as fraud (or back to normal), with a reason. Audited.',
    args: { id: t.arg.id({ required: true }), originality: t.arg({ type: OriginalityEnum, required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = payoutId(args.id);
      await setPayoutOriginalityById(ctx, { id, originality: args.originality, reason: reasonArg(args.reason, true)! });
      return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('simulatePayoutCallback', (t) =>
  t.prismaField({
    type: 'Payout',
    description: 'Test payouts only: the sandbox upstream reports success or failure (PROCESSING) or a reversal (SUCCEEDED).',
    args: { id: t.arg.id({ required: true }), outcome: t.arg({ type: SimulatedOutcomeEnum, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = payoutId(args.id);
      await simulatePayoutCallbackById(ctx, { id, outcome: outcomeOf(args.outcome) });
      return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

// ─────────────────────────────── callbacks ───────────────────────────────

builder.mutationField('resendDelivery', (t) =>
  t.prismaField({
    type: 'Delivery',
    description: 'Send a callback again now (seed 002 "resend"): a delivered or failed one is queued again, one waiting for a retry is sent now (after the earlier callbacks of its order or payout). Audited.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseIds('Delivery', 'id', [String(args.id)])![0]!;
      await resendDeliveryById(ctx, { id });
      return ctx.prisma.delivery.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('resendPayinNotification', (t) =>
  t.prismaField({
    type: 'Order',
    description:
      "Send the merchant the callback of the order's current status again, now (seed 000/002 \"postback resend\"): its latest callback is queued again, or a fresh one is recorded when there is none of the current status. NO_NOTIFY_URL when there is nowhere to send it. Audited.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = orderId(args.id);
      await resendPayinNotification(ctx, { id });
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('resendPayoutNotification', (t) =>
  t.prismaField({
    type: 'Payout',
    description:
      "Send the merchant the callback of the payout's current status again, now: its latest callback is queued again, or a fresh one is recorded when there is none of the current status. NO_NOTIFY_URL when there is nowhere to send it. Audited.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = payoutId(args.id);
      await resendPayoutNotification(ctx, { id });
      return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
