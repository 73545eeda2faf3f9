import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import { money, MoneyRef, type MoneyShape } from '../money.ts';
import { DestinationKindEnum } from '../schema/enums.schema.ts';
import './funds.schema.ts';
import '../merchants/merchants.schema.ts';
import {
  addDestination,
  cancelFundRequestById,
  removeDestination,
  requestRecharge,
  requestTransfer,
  requestWithdrawal,
  reviewFundRequest,
} from '../../modules/funds/funds.back-office.ts';
import { adjustBalance } from '../../modules/ledger/adjust-balance.ts';
import { reasonArg } from '../arguments.ts';

/**
 * Financial center (seed 000): merchants ask for recharges, withdrawals to their stored destinations
 * and transfers to another merchant's account; finance approves or rejects with a note; administrators
 * adjust balances with a mandatory reason. Each mutation parses, calls one service
 * (modules/funds/funds.back-office.ts, modules/ledger/adjust-balance.ts: load, authorize, one
 * transaction with its ledger posting and audit row) and re-reads the row for the selection.
 */

const merchantIdOf = (raw: string | number) => parseIds('Merchant', 'merchantId', [String(raw)])![0]!;
const fundRequestId = (raw: string | number) => parseIds('FundRequest', 'id', [String(raw)])![0]!;

const CreateRechargeInput = builder.inputType('CreateRechargeInput', {
  fields: (t) => ({
    merchantId: t.id({ required: true }),
    currency: t.string({ required: true }),
    amount: t.field({ type: 'Decimal', required: true }),
    reference: t.string({ required: true, description: 'Reference of the bank transfer that brings the money.' }),
    note: t.string(),
    test: t.boolean({ description: 'A test request moves test balances only (default false: live).' }),
  }),
});

const CreateWithdrawalInput = builder.inputType('CreateWithdrawalInput', {
  fields: (t) => ({
    merchantId: t.id({ required: true }),
    currency: t.string({ required: true }),
    amount: t.field({ type: 'Decimal', required: true }),
    destinationId: t.id({ required: true, description: 'One of the merchant’s stored bank accounts or crypto addresses.' }),
    note: t.string(),
    test: t.boolean({ description: 'A test request moves test balances only (default false: live).' }),
  }),
});

const CreateTransferInput = builder.inputType('CreateTransferInput', {
  fields: (t) => ({
    merchantId: t.id({ required: true }),
    currency: t.string({ required: true }),
    amount: t.field({ type: 'Decimal', required: true }),
    targetMchId: t.string({ required: true, description: 'Account number (mch_id) of the receiving merchant.' }),
    note: t.string(),
    test: t.boolean({ description: 'A test request moves test balances only (default false: live).' }),
  }),
});

builder.mutationField('createRecharge', (t) =>
  t.prismaField({
    type: 'FundRequest',
    args: { input: t.arg({ type: CreateRechargeInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const result = await requestRecharge(ctx, {
        merchantId: merchantIdOf(input.merchantId), currency: input.currency, amount: input.amount, reference: input.reference, note: input.note ?? null, test: input.test === true,
      });
      return ctx.prisma.fundRequest.findUniqueOrThrow({ ...query, where: { id: result.request.id } });
    },
  }),
);

builder.mutationField('createWithdrawal', (t) =>
  t.prismaField({
    type: 'FundRequest',
    description: 'Amount + fee are frozen at once; released if finance rejects or the merchant cancels.',
    args: { input: t.arg({ type: CreateWithdrawalInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const merchantId = merchantIdOf(input.merchantId);
      const destinationId = parseIds('MerchantDestination', 'destinationId', [String(input.destinationId)])![0]!;
      const result = await requestWithdrawal(ctx, { merchantId, currency: input.currency, amount: input.amount, destinationId, note: input.note ?? null, test: input.test === true });
      return ctx.prisma.fundRequest.findUniqueOrThrow({ ...query, where: { id: result.request.id } });
    },
  }),
);

builder.mutationField('createTransfer', (t) =>
  t.prismaField({
    type: 'FundRequest',
    description: 'Merchant-to-merchant transfer by account number; frozen at once, moved when finance approves.',
    args: { input: t.arg({ type: CreateTransferInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const result = await requestTransfer(ctx, {
        merchantId: merchantIdOf(input.merchantId), currency: input.currency, amount: input.amount, targetMchId: input.targetMchId, note: input.note ?? null, test: input.test === true,
      });
      return ctx.prisma.fundRequest.findUniqueOrThrow({ ...query, where: { id: result.request.id } });
    },
  }),
);

builder.mutationField('cancelFundRequest', (t) =>
  t.prismaField({
    type: 'FundRequest',
    description: 'The merchant withdraws its own NEW request; frozen money is released.',
    args: { id: t.arg.id({ required: true }), note: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      const { request } = await cancelFundRequestById(ctx, { id: fundRequestId(args.id), note: reasonArg(args.note, false, 'note') });
      return ctx.prisma.fundRequest.findUniqueOrThrow({ ...query, where: { id: request.id } });
    },
  }),
);

builder.mutationField('approveFundRequest', (t) =>
  t.prismaField({
    type: 'FundRequest',
    args: { id: t.arg.id({ required: true }), note: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      const { request } = await reviewFundRequest(ctx, 'approve', { id: fundRequestId(args.id), note: reasonArg(args.note, false, 'note') });
      return ctx.prisma.fundRequest.findUniqueOrThrow({ ...query, where: { id: request.id } });
    },
  }),
);

builder.mutationField('rejectFundRequest', (t) =>
  t.prismaField({
    type: 'FundRequest',
    args: { id: t.arg.id({ required: true }), note: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const { request } = await reviewFundRequest(ctx, 'reject', { id: fundRequestId(args.id), note: reasonArg(args.note, true, 'note') });
      return ctx.prisma.fundRequest.findUniqueOrThrow({ ...query, where: { id: request.id } });
    },
  }),
);

const CreateDestinationInput = builder.inputType('CreateDestinationInput', {
  fields: (t) => ({
    merchantId: t.id({ required: true }),
    kind: t.field({ type: DestinationKindEnum, required: true }),
    currency: t.string({ required: true }),
    label: t.string(),
    bankName: t.string(),
    accountName: t.string(),
    accountNumber: t.string(),
    chain: t.string(),
    address: t.string(),
  }),
});

builder.mutationField('createDestination', (t) =>
  t.prismaField({
    type: 'MerchantDestination',
    description: 'Store a bank account or crypto address for withdrawals.',
    args: { input: t.arg({ type: CreateDestinationInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const base = { merchantId: merchantIdOf(input.merchantId), currency: input.currency, label: input.label ?? null };
      const row = await addDestination(
        ctx,
        input.kind === 'BANK'
          ? { ...base, kind: 'BANK', bankName: input.bankName ?? '', accountName: input.accountName ?? '', accountNumber: input.accountNumber ?? '' }
          : { ...base, kind: 'CRYPTO', chain: input.chain ?? '', address: input.address ?? '' },
      );
      return ctx.prisma.merchantDestination.findUniqueOrThrow({ ...query, where: { id: row.id } });
    },
  }),
);

builder.mutationField('deleteDestination', (t) =>
  t.boolean({
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await removeDestination(ctx, { id: parseIds('MerchantDestination', 'id', [String(args.id)])![0]! });
      return true;
    },
  }),
);

interface AdjustmentPayload {
  transactionId: string;
  amount: MoneyShape;
  availableBalance: MoneyShape;
  replayed: boolean;
}

const AdjustmentPayloadRef = builder.objectRef<AdjustmentPayload>('BalanceAdjustment').implement({
  fields: (t) => ({
    transactionId: t.exposeID('transactionId'),
    amount: t.field({ type: MoneyRef, resolve: (p) => p.amount }),
    availableBalance: t.field({ type: MoneyRef, resolve: (p) => p.availableBalance }),
    replayed: t.exposeBoolean('replayed'),
  }),
});

builder.mutationField('adjustBalance', (t) =>
  t.field({
    type: AdjustmentPayloadRef,
    description: "Administrator credit (positive) or debit (negative) of a merchant's available balance, with a mandatory reason. Audited.",
    args: {
      merchantId: t.arg.id({ required: true }),
      currency: t.arg.string({ required: true }),
      amount: t.arg({ type: 'Decimal', required: true, description: 'Signed, e.g. "150.00" or "-20.50".' }),
      reason: t.arg.string({ required: true }),
      idempotencyKey: t.arg.string({ description: 'Makes a retried submission safe.' }),
      test: t.arg.boolean({ description: "Adjust the merchant's test balance instead of the live one (default false)." }),
    },
    resolve: async (_root, args, ctx) => {
      const result = await adjustBalance(ctx, {
        merchantId: merchantIdOf(args.merchantId),
        currency: args.currency,
        amount: args.amount,
        reason: reasonArg(args.reason, true)!,
        idempotencyKey: args.idempotencyKey ?? null,
        test: args.test === true,
      });
      return {
        transactionId: result.transactionId,
        amount: await money(ctx, result.amount, result.currency),
        availableBalance: await money(ctx, result.balance, result.currency),
        replayed: result.replayed,
      };
    },
  }),
);
