import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import { ManualStatusEnum, OriginalityEnum, SimulatedOutcomeEnum, simulatedOutcomeOf } from '../schema/enums.schema.ts';
import { PayinRef } from './payins.schema.ts';
import {
  closePayinById,
  createTestPayin,
  overridePayinStatusById,
  resendPayinNotification,
  setPayinOriginalityById,
  simulatePayinCallback,
} from '../../modules/payins/payins.back-office.ts';
import { reasonArg } from '../arguments.ts';

/**
 * Back-office actions on payins (seed 000 "simulate callback", seed 001 test deposits, seed 002 manual
 * status change / mark fraud / resend). Each mutation parses its arguments, calls one service of
 * modules/payins/payins.back-office.ts (load the payin, ORDER_NOT_FOUND unless readable, FORBIDDEN
 * unless allowed, one transaction with its timeline event and audit row) and re-reads the row for
 * the selection. Refusals are DomainErrors (`extensions.code`).
 */

const payinIdOf = (raw: string | number) => parseIds('Payin', 'id', [String(raw)])![0]!;
export const channelIdOf = (raw: string | number | null | undefined) => (raw ? parseIds('Channel', 'channelId', [String(raw)])![0]! : null);
export const merchantIdOf = (raw: string | number) => parseIds('Merchant', 'merchantId', [String(raw)])![0]!;

// ─────────────────────────────── create test payins (seed 001) ───────────────────────────────

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
    paymentUrl: t.exposeString('paymentUrl', { description: 'The hosted cashier page of the payin.' }),
    payin: t.field({ type: PayinRef, resolve: (p) => p.order }),
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

// ─────────────────────────────── payins ───────────────────────────────

builder.mutationField('closePayin', (t) =>
  t.prismaField({
    type: PayinRef,
    description: 'Close an unpaid payin (PENDING/PROCESSING → CLOSED).',
    args: { id: t.arg.id({ required: true }), reason: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      const { order: payin } = await closePayinById(ctx, { id: payinIdOf(args.id), reason: reasonArg(args.reason, false) });
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id: payin.id } });
    },
  }),
);

builder.mutationField('simulatePayinCallback', (t) =>
  t.prismaField({
    type: PayinRef,
    description: 'Test payins only (seed 000): the sandbox upstream sends a signed success, failure or reversal callback now.',
    args: { id: t.arg.id({ required: true }), outcome: t.arg({ type: SimulatedOutcomeEnum, required: true }), amount: t.arg({ type: 'Decimal' }) },
    resolve: async (query, _root, args, ctx) => {
      const { order: payin } = await simulatePayinCallback(ctx, { id: payinIdOf(args.id), outcome: simulatedOutcomeOf(args.outcome), amount: args.amount ?? null });
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id: payin.id } });
    },
  }),
);

builder.mutationField('overridePayinStatus', (t) =>
  t.prismaField({
    type: PayinRef,
    description: 'Manual status change with a reason (seed 002): paid by hand, failed, or reversal of a success. Audited.',
    args: { id: t.arg.id({ required: true }), status: t.arg({ type: ManualStatusEnum, required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = payinIdOf(args.id);
      await overridePayinStatusById(ctx, { id, status: args.status, reason: reasonArg(args.reason, true)! });
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('setPayinOriginality', (t) =>
  t.prismaField({
    type: PayinRef,
    description: 'Mark a payin as fraud (or back to normal), with a reason. Audited.',
    args: { id: t.arg.id({ required: true }), originality: t.arg({ type: OriginalityEnum, required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = payinIdOf(args.id);
      await setPayinOriginalityById(ctx, { id, originality: args.originality, reason: reasonArg(args.reason, true)! });
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('resendPayinNotification', (t) =>
  t.prismaField({
    type: PayinRef,
    description:
      "Send the merchant the callback of the payin's current status again, now (seed 000/002 \"postback resend\"): its latest callback is queued again, or a fresh one is recorded when there is none of the current status. NO_NOTIFY_URL when there is nowhere to send it. Audited.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = payinIdOf(args.id);
      await resendPayinNotification(ctx, { id });
      return ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
