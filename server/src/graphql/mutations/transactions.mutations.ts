import { builder } from '../builder.ts';
import { assertCan, can, requireViewer } from '../../modules/auth/authorize.ts';
import type { GraphQLContext } from '../context.ts';
import { parseIds } from '../lists/filters.ts';
import '../schema/deliveries.schema.ts';
import { OriginalityEnum } from '../schema/enums.schema.ts';
import { OrderRef } from '../schema/orders.schema.ts';
import '../schema/payouts.schema.ts';
import { paymentUrl } from '../../modules/orders/orders.presenter.ts';
import { createPayin } from '../../modules/orders/operations/create-payin.ts';
import { closePayin } from '../../modules/orders/operations/close-payin.ts';
import { simulateCallback } from '../../modules/orders/operations/simulate-callback.ts';
import { overridePayinStatus, setPayinOriginality } from '../../modules/orders/operations/manual-operations.ts';
import { createPayout } from '../../modules/payouts/operations/create-payout.ts';
import { approvePayout, rejectPayout, reversePayout } from '../../modules/payouts/operations/review-payout.ts';
import { simulatePayoutCallback } from '../../modules/payouts/operations/simulate-payout.ts';
import { overridePayoutStatus, setPayoutOriginality } from '../../modules/payouts/operations/manual-operations.ts';
import { resendDelivery } from '../../modules/deliveries/deliveries.service.ts';
import { resendLatestNotification } from '../../modules/deliveries/deliveries.notify.ts';
import { parseAmount } from '../../lib/money.ts';
import { currencyDigits } from '../../modules/catalog/catalog.service.ts';
import { actorOf, auditHook, domain, notFound, reasonArg } from './support.ts';

/**
 * Back-office actions on payins, payouts and callbacks (seed 000 "simulate callback", seed 001
 * operations, seed 002 manual status change / mark fraud / resend). Each mutation: the row must be
 * readable (else NOT_FOUND, never a hint that it exists), the ability must allow the action on that
 * row (FORBIDDEN), then ONE service call does the work in one transaction with its timeline event and
 * audit row. Domain errors come back with their stable code in `extensions.code`.
 */

const SimulatedOutcomeEnum = builder.enumType('SimulatedOutcome', { values: ['SUCCESS', 'FAILURE', 'REVERSAL'] as const });
const ManualStatusEnum = builder.enumType('ManualStatus', {
  description: 'What staff may set by hand: a success, a failure, or the reversal of a success.',
  values: ['SUCCEEDED', 'FAILED', 'REVERSED'] as const,
});
const outcomeOf = (o: 'SUCCESS' | 'FAILURE' | 'REVERSAL') => (o === 'SUCCESS' ? 'success' : o === 'FAILURE' ? 'failure' : 'reversal') as 'success' | 'failure' | 'reversal';

/** Loads a row the viewer may read, or NOT_FOUND (never a hint that another merchant's row exists). */
async function readableOrder(ctx: GraphQLContext, globalId: string) {
  requireViewer(ctx);
  const row = await ctx.prisma.order.findUnique({ where: { id: parseIds('Order', 'id', [globalId])![0]! } });
  if (!row || !can(ctx, 'read', 'Order', row)) throw notFound('order');
  return row;
}

async function readablePayout(ctx: GraphQLContext, globalId: string) {
  requireViewer(ctx);
  const row = await ctx.prisma.payout.findUnique({ where: { id: parseIds('Payout', 'id', [globalId])![0]! } });
  if (!row || !can(ctx, 'read', 'Payout', row)) throw notFound('payout');
  return row;
}

async function readableDelivery(ctx: GraphQLContext, globalId: string) {
  requireViewer(ctx);
  const row = await ctx.prisma.delivery.findUnique({ where: { id: parseIds('Delivery', 'id', [globalId])![0]! } });
  if (!row || !can(ctx, 'read', 'Delivery', row)) throw notFound('delivery');
  return row;
}

// ─────────────────────────────── create test orders (seed 001) ───────────────────────────────

const PayerFields = {
  payerName: 'payer_name',
  payerAccount: 'payer_account',
  bankCode: 'bank_code',
  payerPhone: 'payer_phone',
  payerIdNumber: 'payer_id_number',
  remarkCode: 'remark_code',
} as const;

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

interface CreatedTestPayin {
  paymentUrl: string;
  order: Awaited<ReturnType<typeof createPayin>>['order'];
}

const CreateTestPayinPayload = builder.objectRef<CreatedTestPayin>('CreateTestPayinPayload').implement({
  fields: (t) => ({
    paymentUrl: t.exposeString('paymentUrl', { description: 'The hosted cashier page of the order.' }),
    order: t.field({ type: OrderRef, resolve: (p) => p.order }),
  }),
});

function merchantIdOf(raw: string): string {
  return parseIds('Merchant', 'merchantId', [raw])![0]!;
}

async function merchantOrThrow(ctx: GraphQLContext, id: string) {
  const merchant = await ctx.prisma.merchant.findUnique({ where: { id } });
  if (!merchant || !can(ctx, 'read', 'Merchant', merchant)) throw notFound('merchant');
  return merchant;
}

builder.mutationField('createTestPayin', (t) =>
  t.field({
    type: CreateTestPayinPayload,
    description: 'Create a test deposit for a merchant (seed 001): payer fields the service requires must be given; limits apply.',
    args: { input: t.arg({ type: CreateTestPayinInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = requireViewer(ctx);
      const merchant = await merchantOrThrow(ctx, merchantIdOf(input.merchantId));
      assertCan(ctx, 'create', 'Order', { merchantId: merchant.id });
      const service = await ctx.prisma.service.findUnique({ where: { code: input.service } });
      const params: Record<string, unknown> = {
        out_trade_no: input.outTradeNo ?? `TEST-${Date.now().toString(36).toUpperCase()}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
        amount: input.amount,
        currency: service?.currencyCode ?? 'XXX',
        chain: service?.chain ?? null,
        service: input.service,
        expire_second: input.expireSeconds ?? undefined,
        notify_url: input.notifyUrl ?? undefined,
        return_url: input.returnUrl ?? undefined,
        user_id: input.userId ?? undefined,
        description: input.description ?? undefined,
      };
      for (const [field, param] of Object.entries(PayerFields)) params[param] = input[field as keyof typeof PayerFields] ?? undefined;
      const result = await domain(() =>
        createPayin(ctx, {
          merchantId: merchant.id,
          mchId: merchant.mchId,
          appDbId: null,
          test: true,
          defaultNotifyUrl: null,
          createdById: viewer.kind === 'user' ? viewer.userId : null,
          creationType: 'MANUAL',
          params,
          channelId: input.channelId ? parseIds('Channel', 'channelId', [input.channelId])![0]! : null,
          audit: auditHook(ctx, 'payin.create_test', 'Order', { amount: input.amount, service: input.service }),
        }),
      );
      return { paymentUrl: paymentUrl(ctx.config.publicUrl, result.order.prepayId), order: result.order };
    },
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
      const viewer = requireViewer(ctx);
      const merchant = await merchantOrThrow(ctx, merchantIdOf(input.merchantId));
      assertCan(ctx, 'create', 'Payout', { merchantId: merchant.id });
      const service = await ctx.prisma.service.findUnique({ where: { code: input.service } });
      const result = await domain(() =>
        createPayout(ctx, {
          merchantId: merchant.id,
          mchId: merchant.mchId,
          appDbId: null,
          test: true,
          defaultNotifyUrl: null,
          createdById: viewer.kind === 'user' ? viewer.userId : null,
          creationType: 'MANUAL',
          channelId: input.channelId ? parseIds('Channel', 'channelId', [input.channelId])![0]! : null,
          audit: auditHook(ctx, 'payout.create_test', 'Payout', { amount: input.amount, service: input.service }),
          params: {
            out_trade_no: input.outTradeNo ?? `TEST-${Date.now().toString(36).toUpperCase()}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
            amount: input.amount,
            currency: service?.currencyCode ?? 'XXX',
            chain: service?.chain ?? null,
            service: input.service,
            notify_url: input.notifyUrl ?? undefined,
            user_id: input.userId ?? undefined,
            recipient_name: input.recipientName ?? undefined,
            recipient_account: input.recipientAccount ?? undefined,
            bank_code: input.bankCode ?? undefined,
            recipient_phone: input.recipientPhone ?? undefined,
            recipient_id_number: input.recipientIdNumber ?? undefined,
            description: input.description ?? undefined,
          },
        }),
      );
      return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id: result.payout.id } });
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
      const order = await readableOrder(ctx, String(args.id));
      assertCan(ctx, 'update', 'Order', order);
      const actor = actorOf(ctx);
      await domain(() =>
        closePayin(ctx, {
          merchantId: order.merchantId, orderId: order.id, actor: { type: actor.type, id: actor.id ?? null }, reason: reasonArg(args.reason, false),
          audit: auditHook(ctx, 'payin.close', 'Order', { reason: reasonArg(args.reason, false) }),
        }),
      );
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
      const order = await readableOrder(ctx, String(args.id));
      assertCan(ctx, 'simulate', 'Order', order);
      // Seed 000 reserves simulated reversals for platform staff testing: the status-override permission.
      if (args.outcome === 'REVERSAL') assertCan(ctx, 'override', 'Order', order);
      const actor = actorOf(ctx);
      const amount = args.amount != null ? await domain(async () => parseAmount(args.amount!, await currencyDigits(ctx.prisma, order.currencyCode))) : undefined;
      await domain(() =>
        simulateCallback(ctx, {
          key: { id: order.id }, outcome: outcomeOf(args.outcome), actor: { type: actor.type, id: actor.id ?? null }, ...(amount !== undefined ? { amount } : {}),
          audit: auditHook(ctx, 'payin.simulate_callback', 'Order', { outcome: args.outcome, amount: args.amount ?? null }),
        }),
      );
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
      const order = await readableOrder(ctx, String(args.id));
      assertCan(ctx, 'override', 'Order', order);
      const reason = reasonArg(args.reason, true)!;
      await domain(() => overridePayinStatus(ctx, { orderId: order.id, actor: actorOf(ctx), reason, status: args.status }));
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id: order.id } });
    },
  }),
);

builder.mutationField('setPayinOriginality', (t) =>
  t.prismaField({
    type: 'Order',
    description: 'Mark a payin as fraud (or back to normal), with a reason. Audited.',
    args: { id: t.arg.id({ required: true }), originality: t.arg({ type: OriginalityEnum, required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const order = await readableOrder(ctx, String(args.id));
      assertCan(ctx, 'markFraud', 'Order', order);
      const reason = reasonArg(args.reason, true)!;
      await domain(() => setPayinOriginality(ctx, { orderId: order.id, actor: actorOf(ctx), reason, originality: args.originality }));
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id: order.id } });
    },
  }),
);

// ─────────────────────────────── payouts ───────────────────────────────

const payoutDecision = (name: string, description: string, action: 'review' | 'override', run: (ctx: GraphQLContext, payoutId: string, note: string | null) => Promise<unknown>, noteRequired: boolean) =>
  builder.mutationField(name, (t) =>
    t.prismaField({
      type: 'Payout',
      description,
      args: { id: t.arg.id({ required: true }), note: t.arg.string({ required: noteRequired }) },
      resolve: async (query, _root, args, ctx) => {
        const payout = await readablePayout(ctx, String(args.id));
        assertCan(ctx, action, 'Payout', payout);
        const note = reasonArg(args.note, noteRequired, 'note');
        await domain(() => run(ctx, payout.id, note));
        return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id: payout.id } });
      },
    }),
  );

payoutDecision('approvePayout', 'Finance approves a payout held in REVIEW: it is sent upstream.', 'review', (ctx, id, note) => approvePayout(ctx, { payoutId: id, actor: actorOf(ctx), note }), false);
payoutDecision(
  'rejectPayout',
  'Reject a payout in REVIEW or not yet sent (PENDING); funds are released. A payout sent upstream cannot be cancelled.',
  'review',
  (ctx, id, note) => rejectPayout(ctx, { payoutId: id, actor: actorOf(ctx), note }),
  true,
);
payoutDecision('reversePayout', 'Reverse a successful payout (the bank returned it): amount and fee go back to the merchant.', 'override', (ctx, id, note) => reversePayout(ctx, { payoutId: id, actor: actorOf(ctx), note }), true);

builder.mutationField('overridePayoutStatus', (t) =>
  t.prismaField({
    type: 'Payout',
    description: 'Manual status change of a payout with a reason: PROCESSING → SUCCEEDED/FAILED, SUCCEEDED → REVERSED. Audited.',
    args: { id: t.arg.id({ required: true }), status: t.arg({ type: ManualStatusEnum, required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const payout = await readablePayout(ctx, String(args.id));
      assertCan(ctx, 'override', 'Payout', payout);
      const reason = reasonArg(args.reason, true)!;
      await domain(() => overridePayoutStatus(ctx, { payoutId: payout.id, actor: actorOf(ctx), reason, status: args.status }));
      return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id: payout.id } });
    },
  }),
);

builder.mutationField('setPayoutOriginality', (t) =>
  t.prismaField({
    type: 'Payout',
    description: 'Mark a payout as fraud (or back to normal), with a reason. Audited.',
    args: { id: t.arg.id({ required: true }), originality: t.arg({ type: OriginalityEnum, required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const payout = await readablePayout(ctx, String(args.id));
      assertCan(ctx, 'markFraud', 'Payout', payout);
      const reason = reasonArg(args.reason, true)!;
      await domain(() => setPayoutOriginality(ctx, { payoutId: payout.id, actor: actorOf(ctx), reason, originality: args.originality }));
      return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id: payout.id } });
    },
  }),
);

builder.mutationField('simulatePayoutCallback', (t) =>
  t.prismaField({
    type: 'Payout',
    description: 'Test payouts only: the sandbox upstream reports success or failure (PROCESSING) or a reversal (SUCCEEDED).',
    args: { id: t.arg.id({ required: true }), outcome: t.arg({ type: SimulatedOutcomeEnum, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const payout = await readablePayout(ctx, String(args.id));
      assertCan(ctx, 'simulate', 'Payout', payout);
      if (args.outcome === 'REVERSAL') assertCan(ctx, 'override', 'Payout', payout);
      const actor = actorOf(ctx);
      await domain(() => simulatePayoutCallback(ctx, {
        payoutId: payout.id, outcome: outcomeOf(args.outcome), actor: { type: actor.type, id: actor.id ?? null },
        audit: auditHook(ctx, 'payout.simulate_callback', 'Payout', { outcome: args.outcome }),
      }));
      return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id: payout.id } });
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
      const delivery = await readableDelivery(ctx, String(args.id));
      assertCan(ctx, 'resend', 'Delivery', delivery);
      await domain(() => resendDelivery(ctx.prisma, delivery.id, actorOf(ctx)));
      return ctx.prisma.delivery.findUniqueOrThrow({ ...query, where: { id: delivery.id } });
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
      const order = await readableOrder(ctx, String(args.id));
      assertCan(ctx, 'resend', 'Order', order);
      await domain(() => resendLatestNotification(ctx.prisma, { kind: 'order', id: order.id }, actorOf(ctx)));
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id: order.id } });
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
      const payout = await readablePayout(ctx, String(args.id));
      assertCan(ctx, 'resend', 'Payout', payout);
      await domain(() => resendLatestNotification(ctx.prisma, { kind: 'payout', id: payout.id }, actorOf(ctx)));
      return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id: payout.id } });
    },
  }),
);
