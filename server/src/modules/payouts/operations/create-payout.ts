import type { AuditHook } from '../../audit/audit.service.ts';
import type { Prisma } from '../../../db/prisma.ts';
import type { CreationType, Payout } from '../../../generated/prisma/client.ts';
import { enqueueJob } from '../../../jobs/queue.ts';
import { DomainError, isDomainError } from '../../../lib/errors.ts';
import { newOrderNo, newRowId } from '../../../lib/ids.ts';
import { computeFee, formatAmount } from '../../../lib/money.ts';
import { currencyDigits, resolveMerchantService } from '../../catalog/catalog.service.ts';
import { IdempotencyConflictError } from '../../payins/payins.errors.ts';
import { insertWithTimeline } from '../../shared/insert-with-timeline.ts';
import { type Actor, inTransaction } from '../../shared/process.ts';
import { choosePayoutChannel, sandboxRule, type RoutingDecision } from '../../routing/routing.service.ts';
import { SUBMIT_TASK, submitJobKey, type PayoutsServices } from '../payouts.context.ts';
import { freezePayoutFunds } from '../payouts.ledger.ts';
import { parsePayoutAmount, parsePayoutFields, payoutRequestHash, validateRecipient, type PayoutFields } from '../payouts.params.ts';
import type { PayoutObject } from '../payouts.presenter.ts';
import { evaluateRisk, type RiskVerdict } from '../../risk/risk.service.ts';
import { findPayout, presentPayout, type LoadedPayout, PAYOUT_TX_OPTIONS, payoutChanged } from '../payouts.transition.ts';

/**
 * Create a payout (POST /v1/payout/create and the back office's "create test payout").
 *
 * validate (fields, amount with the currency's digits, recipient fields the service requires) →
 * decide (merchant payout service, fee, risk rules, seed-001 limits and a channel whose balance covers
 * the amount) → ONE transaction: insert (`ON CONFLICT DO NOTHING` on (merchant, out_trade_no)),
 * timeline, freeze amount + fee (merchant AVAILABLE → FROZEN) and reserve the amount at the channel,
 * schedule the submit job → publish. Not enough available balance rolls everything back with
 * INSUFFICIENT_BALANCE (40903); nothing is created.
 *
 * Idempotency as for payins: an identical repeat returns the existing payout (also when it is racing
 * the first request), a different one is IDEMPOTENCY_CONFLICT. A channel whose balance was taken by a
 * concurrent payout between routing and reserving is detected by the ledger; routing runs again.
 */

export interface CreatePayoutInput {
  merchantId: string;
  mchId: string;
  appDbId: string | null;
  test: boolean;
  /** The app's payout notify URL, used when the request has none. */
  defaultNotifyUrl: string | null;
  createdById?: string | null;
  creationType: CreationType;
  params: Record<string, unknown>;
  randomInt?: (max: number) => number;
  /** Back office: send through this channel only. */
  channelId?: string | null;
  /** Back office: the audit row, written in the operation's transaction. */
  audit?: AuditHook;
}

export interface CreatePayoutResult {
  created: boolean;
  payout: LoadedPayout;
  object: PayoutObject;
}

const MAX_ATTEMPTS = 5;

export async function createPayout(services: PayoutsServices, input: CreatePayoutInput): Promise<CreatePayoutResult> {
  const { prisma } = services;
  const fields = parsePayoutFields(input.params);
  const digits = await currencyDigits(prisma, fields.currency);
  const amount = parsePayoutAmount(fields.rawAmount, digits);
  const requestHash = payoutRequestHash(fields, amount, input.test);
  const key = { merchantId: input.merchantId, outTradeNo: fields.out_trade_no };
  const actor: Actor = input.createdById ? { type: 'USER', id: input.createdById } : input.appDbId ? { type: 'APP', id: input.appDbId } : { type: 'SYSTEM' };

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let plan: Plan;
    try {
      plan = await decide(services, input, fields, amount, digits);
    } catch (error) {
      if (error instanceof DomainError) {
        const existing = await findPayout(prisma, key);
        if (existing) return replay(services, existing, requestHash);
      }
      throw error;
    }

    const now = new Date();
    const payoutNo = newOrderNo('W', now);
    let outcome: { kind: 'created'; payout: LoadedPayout } | { kind: 'existing'; payout: LoadedPayout } | { kind: 'collision' } | { kind: 'channel_taken' };
    try {
      outcome = await inTransaction(services, async (tx, outbox) => {
        const fmt = (v: bigint) => formatAmount(v, digits);
        const status = plan.risk.action === 'REVIEW' ? 'REVIEW' : 'PENDING';
        const timeline = [
          {
            type: 'CREATED',
            toStatus: 'PENDING',
            message: `payout of ${fmt(amount)} ${fields.currency} created; ${fmt(amount + plan.fee)} frozen (fee ${fmt(plan.fee)})`,
            data: { amount: fmt(amount), fee: fmt(plan.fee), currency: fields.currency, service: plan.serviceCode, creationType: input.creationType, test: input.test },
            actorType: actor.type,
            actorId: actor.id ?? null,
          },
          { type: 'ROUTED', message: `routed to channel ${plan.route.channel.code}`, data: plan.route.reason, actorType: 'SYSTEM' },
          ...(status === 'REVIEW'
            ? [
                {
                  type: 'RISK_REVIEW',
                  fromStatus: 'PENDING',
                  toStatus: 'REVIEW',
                  message: `held for review by ${plan.risk.matched.map((r) => `"${r.name}"`).join(', ')}`,
                  data: { rules: plan.risk.matched },
                  actorType: 'SYSTEM',
                },
              ]
            : []),
        ];
        const row = { id: newRowId(now.getTime()), ...payoutRow(input, plan, fields, amount, requestHash, payoutNo, now), updatedAt: now };
        const inserted = await insertWithTimeline<Payout>(tx, { table: 'payouts', timelineTable: 'payout_events', foreignKey: 'payoutId' }, row, timeline);
        if (!inserted) {
          const existing = await findPayout(tx, key);
          return existing ? ({ kind: 'existing', payout: existing } as const) : ({ kind: 'collision' } as const);
        }
        const id = inserted.id;
        await input.audit?.(tx, { id, merchantId: input.merchantId });
        // A new payout's service and merchant are the ones just decided on; its app is the caller's.
        const payout: LoadedPayout = {
          ...inserted,
          service: plan.service,
          merchant: { mchId: input.mchId },
          app: input.appDbId ? { payoutNotifyUrl: input.defaultNotifyUrl } : null,
        };
        // The submit job first, the freeze last: the freeze locks the merchant's balance (the hot row every
        // payout of this merchant queues on), so the transaction holds that lock only until it commits.
        if (status === 'PENDING') await enqueueJob(tx, SUBMIT_TASK, { payoutId: id }, { jobKey: submitJobKey(id), maxAttempts: 10 });
        await freezePayoutFunds(tx, payout, actor);
        outbox.publish('payout:changed', payoutChanged(payout));
        return { kind: 'created', payout } as const;
      }, PAYOUT_TX_OPTIONS);
    } catch (error) {
      if (isDomainError(error, 'INSUFFICIENT_BALANCE')) {
        const account = String(error.details?.account ?? '');
        if (account.startsWith('CHANNEL:')) {
          outcome = { kind: 'channel_taken' };
        } else {
          throw insufficientBalance(error, amount + plan.fee, fields.currency, digits);
        }
      } else {
        throw error;
      }
    }
    if (outcome.kind === 'collision' || outcome.kind === 'channel_taken') continue;
    if (outcome.kind === 'existing') return replay(services, outcome.payout, requestHash);
    return { created: true, payout: outcome.payout, object: await presentPayout(prisma, outcome.payout) };
  }
  throw new DomainError('NO_CHANNEL', 'no channel can take this payout now (channel balances kept changing); try again');
}

interface Plan {
  serviceId: string;
  /** What a loaded payout carries of its service. */
  service: LoadedPayout['service'];
  serviceCode: string;
  fee: bigint;
  route: RoutingDecision;
  risk: RiskVerdict;
}

async function decide(services: PayoutsServices, input: CreatePayoutInput, fields: PayoutFields, amount: bigint, digits: number): Promise<Plan> {
  const { service, merchantService } = await resolveMerchantService(services.prisma, input.merchantId, {
    service: fields.service,
    currency: fields.currency,
    chain: fields.chain,
    direction: 'PAYOUT',
  });
  validateRecipient(fields.recipient, service);
  const fee = computeFee(amount, merchantService.feeRatePpm, merchantService.feeFixed);
  // A cheap early answer (the ledger's locked check at freeze time is the exact one): a merchant that
  // cannot cover amount + fee hears that, not that no channel is available.
  const available = await services.prisma.ledgerAccount.findUnique({
    where: { ownerType_ownerId_currencyCode_kind_test: { ownerType: 'MERCHANT', ownerId: input.merchantId, currencyCode: fields.currency, kind: 'AVAILABLE', test: input.test } },
    select: { balance: true },
  });
  if ((available?.balance ?? 0n) < amount + fee) {
    throw insufficientBalance(
      new DomainError('INSUFFICIENT_BALANCE', 'insufficient balance', { balance: String(available?.balance ?? 0n) }),
      amount + fee,
      fields.currency,
      digits,
    );
  }
  const risk = await evaluateRisk(services.prisma, {
    direction: 'PAYOUT',
    merchantId: input.merchantId,
    currency: fields.currency,
    amount,
    account: fields.recipient.recipient_account,
  });
  const route = await choosePayoutChannel(services.prisma, {
    test: input.test,
    merchantService,
    service,
    amount,
    digits,
    channelId: input.channelId ?? null,
    ...sandboxRule(services.config.sandboxForTestOnly, input.test),
    ...(input.randomInt ? { randomInt: input.randomInt } : {}),
  });
  return {
    serviceId: service.id,
    service: { code: service.code, kind: service.kind, requiredFields: service.requiredFields, chain: service.chain },
    serviceCode: service.code,
    fee,
    route,
    risk,
  };
}

async function replay(services: PayoutsServices, payout: LoadedPayout, requestHash: string): Promise<CreatePayoutResult> {
  if (payout.requestHash !== requestHash) throw new IdempotencyConflictError(payout.outTradeNo);
  return { created: false, payout, object: await presentPayout(services.prisma, payout) };
}

function insufficientBalance(error: DomainError, required: bigint, currency: string, digits: number): DomainError {
  const raw = error.details?.balance;
  const available = typeof raw === 'string' && /^-?[0-9]+$/.test(raw) ? BigInt(raw) : null;
  const fmt = (v: bigint) => formatAmount(v, digits);
  return new DomainError(
    'INSUFFICIENT_BALANCE',
    available === null
      ? `insufficient available balance: ${fmt(required)} ${currency} is needed (amount + fee)`
      : `insufficient available balance: ${fmt(available)} ${currency} available, ${fmt(required)} ${currency} needed (amount + fee)`,
    { currency, required: fmt(required), ...(available === null ? {} : { available: fmt(available) }) },
  );
}

function payoutRow(
  input: CreatePayoutInput,
  plan: Plan,
  fields: PayoutFields,
  amount: bigint,
  requestHash: string,
  payoutNo: string,
  now: Date,
): Prisma.PayoutCreateManyInput {
  return {
    payoutNo,
    merchantId: input.merchantId,
    appId: input.appDbId,
    serviceId: plan.serviceId,
    channelId: plan.route.channel.id,
    outTradeNo: fields.out_trade_no,
    status: plan.risk.action === 'REVIEW' ? 'REVIEW' : 'PENDING',
    currencyCode: fields.currency,
    chain: fields.chain,
    amount,
    fee: plan.fee,
    recipientName: fields.recipient.recipient_name,
    recipientAccount: fields.recipient.recipient_account,
    bankCode: fields.recipient.bank_code,
    recipientPhone: fields.recipient.recipient_phone,
    recipientIdNumber: fields.recipient.recipient_id_number,
    description: fields.description,
    attach: fields.attach,
    notifyUrl: fields.notify_url ?? input.defaultNotifyUrl,
    userLabel: fields.user_id,
    test: input.test,
    creationType: input.creationType,
    requestHash,
    createdById: input.createdById ?? null,
    createdAt: now,
  };
}
