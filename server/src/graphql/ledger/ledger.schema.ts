import { queryFromInfo } from '@pothos/plugin-prisma';
import type { Merchant } from '../../generated/prisma/client.ts';
import type { LedgerAccountKind } from '../../generated/prisma/enums.ts';
import { displayBalance, isDebitNormal } from '../../modules/ledger/ledger.service.ts';
import { builder } from '../builder.ts';
import { guard, readWhere } from '../lists/access.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { and, column, dateRange, dayRange, equals, inList, isValue, parseBigIds, parseIds } from '../lists/filters.ts';
import { DateRangeInput, DayRangeInput, resolveSort, sortInput } from '../lists/inputs.ts';
import { nodeAccess } from '../lists/nodes.ts';
import { money, MoneyRef } from '../money.ts';
import { ChannelRef } from '../config/channels.schema.ts';
import { ActorTypeEnum, LedgerAccountKindEnum, LedgerOwnerTypeEnum } from '../schema/enums.schema.ts';
import { MerchantRef } from '../merchants/merchants.schema.ts';

/**
 * The ledger as people read it (seed 000 financial center): accounts with their displayed balance
 * (positive when the account holds money, whatever its accounting side), entries, transactions, the
 * daily statements ("account details by day") and a merchant's balances per currency.
 */

export const EntrySideEnum = builder.enumType('EntrySide', {
  description: 'Accounting side of an entry: CREDIT raises the stored balance, DEBIT lowers it.',
  values: ['CREDIT', 'DEBIT'] as const,
});

export const LedgerAccountRef = builder.prismaNode('LedgerAccount', {
  id: { field: 'id' },
  ...nodeAccess('LedgerAccount'),
  description: 'A ledger account of a merchant (AVAILABLE, PENDING, FROZEN), a channel (BALANCE) or the platform.',
  fields: (t) => ({
    ownerType: t.expose('ownerType', { type: LedgerOwnerTypeEnum }),
    ownerId: t.exposeString('ownerId', { description: 'Merchant id, channel id, or "platform".' }),
    test: t.exposeBoolean('test', { description: 'An account of the test book (test payins, payouts and fund movements only).' }),
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      select: (_args, _ctx, nested) => ({ merchant: nested(true) }),
      resolve: (a, _args, ctx) => guard(ctx, 'Merchant', a.merchant),
    }),
    channel: t.field({
      type: ChannelRef,
      nullable: true,
      select: (_args, _ctx, nested) => ({ channel: nested(true) }),
      resolve: (a, _args, ctx) => guard(ctx, 'Channel', a.channel),
    }),
    currencyCode: t.exposeString('currencyCode'),
    kind: t.expose('kind', { type: LedgerAccountKindEnum }),
    balance: t.field({
      type: MoneyRef,
      description: 'The balance as displayed: positive when the account holds money.',
      resolve: (a, _args, ctx) => money(ctx, displayBalance(a.kind, a.balance), a.currencyCode),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const LedgerTransactionRef = builder.prismaNode('LedgerTransaction', {
  id: { field: 'id' },
  ...nodeAccess('LedgerTransaction'),
  description: 'A balanced set of ledger entries (they sum to zero per currency).',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'PAYIN_SUCCESS, PAYIN_REVERSAL, PAYOUT_FREEZE, TRANSFER, ADJUSTMENT …' }),
    test: t.exposeBoolean('test', { description: 'Posted to the test book.' }),
    referenceType: t.exposeString('referenceType', { nullable: true }),
    referenceId: t.exposeString('referenceId', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    actorType: t.expose('actorType', { type: ActorTypeEnum }),
    actorId: t.exposeString('actorId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    entries: t.relation('entries', {
      description: 'The entries the viewer may read (a merchant user: those on their own accounts).',
      query: (_args, ctx) => ({ where: readWhere(ctx, 'LedgerEntry'), orderBy: { id: 'asc' } }),
    }),
  }),
});

export const LedgerEntryRef = builder.prismaNode('LedgerEntry', {
  id: { field: 'id' },
  ...nodeAccess('LedgerEntry', 'bigint'),
  description: 'One movement on one account.',
  fields: (t) => ({
    transaction: t.relation('transaction'),
    account: t.relation('account'),
    currencyCode: t.exposeString('currencyCode'),
    side: t.field({ type: EntrySideEnum, resolve: (e) => (e.amount >= 0n ? 'CREDIT' : 'DEBIT') }),
    amount: t.field({
      type: MoneyRef,
      description: "Change of the account's displayed balance: positive = in, negative = out.",
      select: { account: { select: { kind: true } } },
      resolve: (e, _args, ctx) => money(ctx, isDebitNormal(e.account.kind) ? -e.amount : e.amount, e.currencyCode),
    }),
    balanceAfter: t.field({
      type: MoneyRef,
      description: 'The displayed balance after this entry.',
      select: { account: { select: { kind: true } } },
      resolve: (e, _args, ctx) => money(ctx, displayBalance(e.account.kind, e.balanceAfter), e.currencyCode),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const DailyStatementRef = builder.prismaNode('DailyStatement', {
  id: { field: 'id' },
  ...nodeAccess('DailyStatement'),
  description: "Account details by day (seed 000), cut at the merchant's local midnight: opening + inflow − outflow = closing.",
  fields: (t) => ({
    merchant: t.relation('merchant'),
    account: t.relation('account'),
    currencyCode: t.exposeString('currencyCode'),
    date: t.string({ description: 'The day, YYYY-MM-DD, in `timezone`.', resolve: (s) => s.date.toISOString().slice(0, 10) }),
    timezone: t.exposeString('timezone'),
    opening: t.field({ type: MoneyRef, resolve: (s, _a, ctx) => money(ctx, s.opening, s.currencyCode) }),
    inflow: t.field({ type: MoneyRef, resolve: (s, _a, ctx) => money(ctx, s.inflow, s.currencyCode) }),
    outflow: t.field({ type: MoneyRef, resolve: (s, _a, ctx) => money(ctx, s.outflow, s.currencyCode) }),
    fees: t.field({ type: MoneyRef, resolve: (s, _a, ctx) => money(ctx, s.fees, s.currencyCode) }),
    closing: t.field({ type: MoneyRef, resolve: (s, _a, ctx) => money(ctx, s.closing, s.currencyCode) }),
    inCount: t.exposeInt('inCount'),
    outCount: t.exposeInt('outCount'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

// ─────────────────────────── lists ───────────────────────────

const accountSort = sortInput('LedgerAccount', {
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
  UPDATED_AT: column('UPDATED_AT', 'updatedAt', 'date'),
});

const LedgerAccountFilter = builder.inputType('LedgerAccountFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    ownerTypes: t.field({ type: [LedgerOwnerTypeEnum], required: false }),
    merchantIds: t.idList({ required: false }),
    channelIds: t.idList({ required: false }),
    currencies: t.stringList({ required: false }),
    kinds: t.field({ type: [LedgerAccountKindEnum], required: false }),
    test: t.boolean({ required: false, description: 'Only the test book (true) or only the live book (false); both when absent.' }),
  }),
});

builder.queryField('ledgerAccounts', (t) =>
  t.connection(
    {
      type: LedgerAccountRef,
      description: 'Ledger accounts the viewer may read.',
      args: {
        filter: t.arg({ type: LedgerAccountFilter, required: false }),
        sort: t.arg({ type: accountSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const where = and(
          readWhere(ctx, 'LedgerAccount'),
          inList('id', parseIds('LedgerAccount', 'ids', f.ids)),
          inList('ownerType', f.ownerTypes),
          inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
          inList('channelId', parseIds('Channel', 'channelIds', f.channelIds)),
          inList('currencyCode', f.currencies),
          inList('kind', f.kinds),
          isValue('test', f.test),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'LedgerAccount', where,
          sort: resolveSort(accountSort.fields, args.sort, 'CREATED_AT'),
          findMany: (q) => ctx.prisma.ledgerAccount.findMany(q as never),
          count: (q) => ctx.prisma.ledgerAccount.count(q as never),
        });
      },
    },
    listConnection('LedgerAccount', LedgerAccountRef),
  ),
);

const entrySort = sortInput('LedgerEntry', {
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
});

const LedgerEntryFilter = builder.inputType('LedgerEntryFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    accountIds: t.idList({ required: false }),
    merchantIds: t.idList({ required: false, description: "Entries on these merchants' accounts." }),
    currencies: t.stringList({ required: false }),
    accountKinds: t.field({ type: [LedgerAccountKindEnum], required: false }),
    ownerTypes: t.field({ type: [LedgerOwnerTypeEnum], required: false }),
    side: t.field({ type: EntrySideEnum, required: false }),
    transactionIds: t.idList({ required: false }),
    transactionKinds: t.stringList({ required: false }),
    referenceType: t.string({ required: false }),
    referenceId: t.string({ required: false }),
    createdAt: t.field({ type: DateRangeInput, required: false }),
    test: t.boolean({ required: false, description: 'Only the test book (true) or only the live book (false); both when absent.' }),
  }),
});

builder.queryField('ledgerEntries', (t) =>
  t.connection(
    {
      type: LedgerEntryRef,
      description: 'Ledger entries the viewer may read, newest first.',
      args: {
        filter: t.arg({ type: LedgerEntryFilter, required: false }),
        sort: t.arg({ type: entrySort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const account = and(
          inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
          inList('kind', f.accountKinds),
          inList('ownerType', f.ownerTypes),
          isValue('test', f.test),
        );
        const transaction = and(
          inList('kind', f.transactionKinds),
          equals('referenceType', f.referenceType),
          equals('referenceId', f.referenceId),
        );
        const where = and(
          readWhere(ctx, 'LedgerEntry'),
          inList('id', parseBigIds('LedgerEntry', 'ids', f.ids)),
          inList('accountId', parseIds('LedgerAccount', 'accountIds', f.accountIds)),
          Object.keys(account).length ? { account } : undefined,
          inList('currencyCode', f.currencies),
          f.side === 'CREDIT' ? { amount: { gt: 0n } } : f.side === 'DEBIT' ? { amount: { lt: 0n } } : undefined,
          inList('transactionId', parseIds('LedgerTransaction', 'transactionIds', f.transactionIds)),
          Object.keys(transaction).length ? { transaction } : undefined,
          dateRange('createdAt', f.createdAt),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'LedgerEntry', where,
          sort: resolveSort(entrySort.fields, args.sort, 'CREATED_AT', { field: 'id', kind: 'bigint' }),
          findMany: (q) => ctx.prisma.ledgerEntry.findMany(q as never),
          count: (q) => ctx.prisma.ledgerEntry.count(q as never),
        });
      },
    },
    listConnection('LedgerEntry', LedgerEntryRef),
  ),
);

const statementSort = sortInput('Statement', {
  DATE: column('DATE', 'date', 'date'),
});

const StatementFilter = builder.inputType('StatementFilter', {
  fields: (t) => ({
    merchantIds: t.idList({ required: false }),
    accountIds: t.idList({ required: false }),
    currencies: t.stringList({ required: false }),
    accountKinds: t.field({ type: [LedgerAccountKindEnum], required: false }),
    date: t.field({ type: DayRangeInput, required: false }),
    test: t.boolean({ required: false, description: 'Only the test book (true) or only the live book (false); both when absent.' }),
  }),
});

builder.queryField('statements', (t) =>
  t.connection(
    {
      type: DailyStatementRef,
      description: 'Daily statements (account details by day), newest day first.',
      args: {
        filter: t.arg({ type: StatementFilter, required: false }),
        sort: t.arg({ type: statementSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const where = and(
          readWhere(ctx, 'DailyStatement'),
          inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
          inList('accountId', parseIds('LedgerAccount', 'accountIds', f.accountIds)),
          inList('currencyCode', f.currencies),
          f.accountKinds?.length ? { account: { kind: { in: f.accountKinds } } } : undefined,
          f.test !== null && f.test !== undefined ? { account: { test: f.test } } : undefined,
          dayRange('date', f.date),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'DailyStatement', where,
          sort: resolveSort(statementSort.fields, args.sort, 'DATE'),
          findMany: (q) => ctx.prisma.dailyStatement.findMany(q as never),
          count: (q) => ctx.prisma.dailyStatement.count(q as never),
        });
      },
    },
    listConnection('Statement', DailyStatementRef),
  ),
);

// ─────────────────────────── balances ───────────────────────────

interface BalanceShape {
  merchant: Merchant;
  currency: string;
  available: bigint;
  pending: bigint;
  frozen: bigint;
}

const BalanceRef = builder.objectRef<BalanceShape>('Balance').implement({
  description: "A merchant's balances in one currency (seed 000 home page and fund management).",
  fields: (t) => ({
    merchant: t.field({ type: MerchantRef, resolve: (b) => b.merchant }),
    currency: t.string({ resolve: (b) => b.currency }),
    available: t.field({ type: MoneyRef, description: 'Spendable now.', resolve: (b, _a, ctx) => money(ctx, b.available, b.currency) }),
    pending: t.field({
      type: MoneyRef,
      description: 'Payins waiting for their settlement period (T+N).',
      resolve: (b, _a, ctx) => money(ctx, b.pending, b.currency),
    }),
    frozen: t.field({
      type: MoneyRef,
      description: 'Held for payouts and withdrawals in flight.',
      resolve: (b, _a, ctx) => money(ctx, b.frozen, b.currency),
    }),
    total: t.field({
      type: MoneyRef,
      description: 'available + pending + frozen.',
      resolve: (b, _a, ctx) => money(ctx, b.available + b.pending + b.frozen, b.currency),
    }),
  }),
});

const MERCHANT_KINDS: LedgerAccountKind[] = ['AVAILABLE', 'PENDING', 'FROZEN'];

builder.queryField('balances', (t) =>
  t.field({
    type: [BalanceRef],
    description:
      "Merchants' balances per currency, from the ledger accounts the viewer may read (a merchant user: only their own merchant). Sorted by merchant, then currency.",
    args: {
      merchantId: t.arg.id({ required: false }),
      currency: t.arg.string({ required: false }),
      test: t.arg.boolean({ required: false, description: 'The test book (true) or the live book (false, the default). Balances never mix the two.' }),
    },
    resolve: async (_root, args, ctx, info) => {
      const where = and(
        readWhere(ctx, 'LedgerAccount'),
        { ownerType: 'MERCHANT', kind: { in: MERCHANT_KINDS }, test: args.test === true },
        inList('merchantId', parseIds('Merchant', 'merchantId', args.merchantId ? [String(args.merchantId)] : undefined)),
        equals('currencyCode', args.currency),
      );
      const merchantQuery = (await queryFromInfo({ context: ctx, info, typeName: 'Merchant', path: ['merchant'], awaitSelections: true })) as object;
      const accounts = await ctx.prisma.ledgerAccount.findMany({
        where: where as never,
        select: { merchantId: true, currencyCode: true, kind: true, balance: true, merchant: Object.keys(merchantQuery).length ? merchantQuery : true },
        orderBy: [{ merchantId: 'asc' }, { currencyCode: 'asc' }],
      });
      const byKey = new Map<string, BalanceShape>();
      for (const a of accounts) {
        if (!a.merchant) continue;
        const key = `${a.merchantId}:${a.currencyCode}`;
        const b = byKey.get(key) ?? { merchant: a.merchant as Merchant, currency: a.currencyCode, available: 0n, pending: 0n, frozen: 0n };
        if (a.kind === 'AVAILABLE') b.available = a.balance;
        if (a.kind === 'PENDING') b.pending = a.balance;
        if (a.kind === 'FROZEN') b.frozen = a.balance;
        byKey.set(key, b);
      }
      return [...byKey.values()];
    },
  }),
);
