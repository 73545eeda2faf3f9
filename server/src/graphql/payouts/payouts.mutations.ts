import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import { ManualStatusEnum, OriginalityEnum, SimulatedOutcomeEnum, simulatedOutcomeOf } from '../schema/enums.schema.ts';
import { channelIdOf, merchantIdOf } from '../payins/payins.mutations.ts';
import './payouts.schema.ts';
import {
  createTestPayout,
  decidePayout,
  overridePayoutStatusById,
  resendPayoutNotification,
  setPayoutOriginalityById,
  simulatePayoutCallbackById,
  type PayoutDecision,
} from '../../modules/payouts/payouts.back-office.ts';
import { reasonArg } from '../arguments.ts';

/**
 * Back-office actions on payouts (seed 001 test payouts, finance review, seed 002 manual status change,
 * mark fraud, resend). Each mutation parses, calls one service of modules/payouts/payouts.back-office.ts
 * (load the payout, PAYOUT_NOT_FOUND unless readable, FORBIDDEN unless allowed, one transaction) and
 * re-reads the row for the selection.
 */

const payoutId = (raw: string | number) => parseIds('Payout', 'id', [String(raw)])![0]!;

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
      await simulatePayoutCallbackById(ctx, { id, outcome: simulatedOutcomeOf(args.outcome) });
      return ctx.prisma.payout.findUniqueOrThrow({ ...query, where: { id } });
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
