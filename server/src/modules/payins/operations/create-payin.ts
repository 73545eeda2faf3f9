import type { AuditHook } from '../../audit/audit.service.ts';
import type { Db, Prisma, Tx } from '../../../db/prisma.ts';
import type { Channel, CreationType, Order } from '../../../generated/prisma/client.ts';
import { DomainError } from '../../../lib/errors.ts';
import { newOrderNo, newPrepayId, newRowId } from '../../../lib/ids.ts';
import { formatAmount } from '../../../lib/money.ts';
import { currencyDigits, resolveMerchantService } from '../../catalog/catalog.service.ts';
import { evaluateRisk, type RiskVerdict } from '../../risk/risk.service.ts';
import { type Connector, type CreatedPayin, type PayinRequest } from '../../routing/connectors/connector.ts';
import { getConnector } from '../../routing/connectors/registry.ts';
import { choosePayinChannel, sandboxRule, type RoutingDecision } from '../../routing/routing.service.ts';
import type { PayinsServices } from '../payins.context.ts';
import { IdempotencyConflictError, InvalidParameterError } from '../payins.errors.ts';
import {
  missingPayerFields,
  parsePayinAmount,
  parsePrepaymentFields,
  prepaymentRequestHash,
  type PrepaymentFields,
} from '../payins.params.ts';
import { toPrepaymentObject, type PayinObject, type PrepaymentObject } from '../payins.presenter.ts';
import { findPayin, lockPayin, presentPayin, recordPayinEvent, transitionPayin, type LoadedPayin, payinChanged } from '../payins.transition.ts';
import { insertWithTimeline } from '../../shared/insert-with-timeline.ts';
import { type Actor, inStatement, inTransaction, type Outbox } from '../../shared/process.ts';
import { notifyPayinStatus } from '../payins.notify.ts';

/**
 * Create a payin order (POST /v1/transaction/prepayment and the back office's "create test deposit").
 *
 * validate (every field, amount with the currency's digits) → decide (merchant service, required payer
 * fields, risk rules, seed-001 limits and routing, local connector's instructions) → write in ONE transaction
 * (`INSERT … ON CONFLICT DO NOTHING` + timeline CREATED, ROUTED, UPSTREAM_CREATED) → publish.
 *
 * Idempotency on (merchant, out_trade_no): the insert either creates the row or finds the existing
 * one (concurrent identical requests wait on the unique index and then see the winner's row); the
 * existing order is returned when its request hash matches, else IDEMPOTENCY_CONFLICT. A repeat whose
 * decision would now fail (service disabled, limits changed …) still returns the existing order.
 * A collision of the random order number skips the insert too and is retried with a new number.
 *
 * Remote connectors are called after commit (the order exists before the provider hears of it); if
 * that call fails the order goes to FAILED.
 */

export interface CreatePayinInput {
  merchantId: string;
  mchId: string;
  /** The calling app (null for back-office orders). */
  appDbId: string | null;
  /** Test app or test order from the back office. */
  test: boolean;
  /** The app's payin notify URL, used when the request has no notify_url. */
  defaultNotifyUrl: string | null;
  /** The back-office user who created it. */
  createdById?: string | null;
  creationType: CreationType;
  /** The contract's prepayment fields, JSON-parsed. */
  params: Record<string, unknown>;
  /** Routing randomness (tests). */
  randomInt?: (max: number) => number;
  /** Back office: route to this channel only (it must be bound to the service and admit the amount). */
  channelId?: string | null;
  /** Back office: the audit row, written in the operation's transaction. */
  audit?: AuditHook;
}

export interface CreatePayinResult {
  /** False when an identical earlier request's order is returned. */
  created: boolean;
  order: LoadedPayin;
  /** The order object of the contract. */
  object: PayinObject;
  /** The `data` of the prepayment response. */
  prepayment: PrepaymentObject;
}

const MAX_NUMBER_ATTEMPTS = 5;

export async function createPayin(services: PayinsServices, input: CreatePayinInput): Promise<CreatePayinResult> {
  const { prisma } = services;
  // validate
  const fields = parsePrepaymentFields(input.params);
  const digits = await currencyDigits(prisma, fields.currency);
  const amount = parsePayinAmount(fields.rawAmount, digits);
  const requestHash = prepaymentRequestHash(fields, amount, input.test);
  const key = { merchantId: input.merchantId, outTradeNo: fields.out_trade_no };

  // decide
  let plan: Plan;
  try {
    plan = await decide(services, input, fields, amount, digits);
  } catch (error) {
    if (error instanceof DomainError) {
      const existing = await findPayin(prisma, key);
      if (existing) return replay(services, existing, requestHash, digits);
    }
    throw error;
  }

  // write
  const actor: Actor = input.createdById
    ? { type: 'USER', id: input.createdById }
    : input.appDbId
      ? { type: 'APP', id: input.appDbId }
      : { type: 'SYSTEM' };
  for (let attempt = 1; attempt <= MAX_NUMBER_ATTEMPTS; attempt++) {
    const now = new Date();
    const orderNo = newOrderNo('P', now);
    const prepayId = newPrepayId();
    const request = payinRequest(plan, fields, amount, digits, orderNo, prepayId, new Date(now.getTime() + fields.expire_second * 1000), input.test);
    const upstream = plan.connector.local ? await plan.connector.createPayin(connectorContext(services), request, plan.route.channel) : null;

    const row = { id: newRowId(now.getTime()), ...orderRow(input, plan, fields, amount, requestHash, orderNo, prepayId, now, request.expireAt, upstream), updatedAt: now };
    const timeline = timelineRows(input, plan, fields, amount, digits, request.expireAt, actor, upstream);
    const write = async (db: Db, outbox: Outbox, audit?: (id: string) => Promise<void>) => {
      const inserted = await insertWithTimeline<Order>(db, { table: 'orders', timelineTable: 'order_events', foreignKey: 'orderId' }, row, timeline);
      if (!inserted) {
        const existing = await findPayin(db, key);
        return existing ? ({ kind: 'existing', order: existing } as const) : ({ kind: 'collision' } as const);
      }
      await audit?.(inserted.id);
      // A new order has no payments yet, and its service and merchant are the ones just decided on.
      const order: LoadedPayin = { ...inserted, payments: [], service: plan.service, merchant: { mchId: input.mchId } };
      outbox.publish('payin:changed', payinChanged(order));
      return { kind: 'created', order } as const;
    };
    // The order and its timeline are one statement; only a back-office order's audit row needs a transaction around it.
    const audit = input.audit;
    const outcome = audit
      ? await inTransaction(services, (tx, outbox) => write(tx, outbox, (id) => audit(tx, { id, merchantId: input.merchantId })))
      : await inStatement(services, write);

    if (outcome.kind === 'collision') continue;
    if (outcome.kind === 'existing') return replay(services, outcome.order, requestHash, digits);
    const order = plan.connector.local ? outcome.order : await createAtRemote(services, plan, outcome.order, request);
    return { created: true, order, object: await presentPayin(prisma, order), prepayment: toPrepaymentObject(order, digits, services.config.publicUrl) };
  }
  throw new Error(`could not allocate a unique order number in ${MAX_NUMBER_ATTEMPTS} attempts`);
}

interface Plan {
  serviceId: string;
  /** What a loaded payin carries of its service. */
  service: LoadedPayin['service'];
  serviceCode: string;
  serviceKind: PayinRequest['serviceKind'];
  route: RoutingDecision;
  connector: Connector;
  /** REVIEW rules that matched: the payin goes ahead, flagged on its timeline. */
  risk: RiskVerdict;
}

async function decide(services: PayinsServices, input: CreatePayinInput, fields: PrepaymentFields, amount: bigint, digits: number): Promise<Plan> {
  const { service, merchantService } = await resolveMerchantService(services.prisma, input.merchantId, {
    service: fields.service,
    currency: fields.currency,
    chain: fields.chain,
  });
  // Back-office orders (seed 001) carry the payer's details up front; an API order may leave them to
  // the payer, who fills them in on the cashier page before submitting (submit-payer checks them).
  if (input.creationType === 'MANUAL') {
    const missing = missingPayerFields(service.requiredFields, fields.payer);
    if (missing.length > 0) throw new InvalidParameterError(missing[0]!, `required by service ${service.code}`);
  }
  // A REJECT rule refuses the payin here (RISK_REJECTED, nothing is written).
  const risk = await evaluateRisk(services.prisma, {
    direction: 'PAYIN',
    merchantId: input.merchantId,
    currency: fields.currency,
    amount,
    account: fields.payer.payer_account,
  });
  const route = await choosePayinChannel(services.prisma, {
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
    service: { code: service.code, kind: service.kind, requiredFields: service.requiredFields },
    serviceCode: service.code,
    serviceKind: service.kind,
    route,
    connector: getConnector(route.channel.connector),
    risk,
  };
}

async function replay(services: PayinsServices, order: LoadedPayin, requestHash: string, digits: number): Promise<CreatePayinResult> {
  if (order.requestHash !== requestHash) throw new IdempotencyConflictError(order.outTradeNo);
  return {
    created: false,
    order,
    object: await presentPayin(services.prisma, order),
    prepayment: toPrepaymentObject(order, digits, services.config.publicUrl),
  };
}

function connectorContext(services: PayinsServices) {
  return { db: services.prisma, secrets: services.secrets, config: services.config };
}

function payinRequest(
  plan: Plan,
  fields: PrepaymentFields,
  amount: bigint,
  digits: number,
  orderNo: string,
  prepayId: string,
  expireAt: Date,
  test: boolean,
): PayinRequest {
  return {
    orderNo,
    prepayId,
    amount,
    currency: fields.currency,
    digits,
    chain: fields.chain,
    serviceCode: plan.serviceCode,
    serviceKind: plan.serviceKind,
    orderType: fields.order_type === 'merchant_order' ? 'MERCHANT_ORDER' : 'PLATFORM_ORDER',
    toAddress: fields.to_address,
    expireAt,
    test,
    payer: {
      name: fields.payer.payer_name,
      account: fields.payer.payer_account,
      bankCode: fields.payer.bank_code,
      phone: fields.payer.payer_phone,
      idNumber: fields.payer.payer_id_number,
      remarkCode: fields.payer.remark_code,
    },
  };
}

function orderRow(
  input: CreatePayinInput,
  plan: Plan,
  fields: PrepaymentFields,
  amount: bigint,
  requestHash: string,
  orderNo: string,
  prepayId: string,
  now: Date,
  expireAt: Date,
  upstream: CreatedPayin | null,
): Prisma.OrderCreateManyInput {
  return {
    orderNo,
    prepayId,
    merchantId: input.merchantId,
    appId: input.appDbId,
    serviceId: plan.serviceId,
    channelId: plan.route.channel.id,
    outTradeNo: fields.out_trade_no,
    currencyCode: fields.currency,
    chain: fields.chain,
    amount,
    orderType: fields.order_type === 'merchant_order' ? 'MERCHANT_ORDER' : 'PLATFORM_ORDER',
    description: fields.description,
    attach: fields.attach,
    locale: fields.locale,
    notifyUrl: fields.notify_url ?? input.defaultNotifyUrl,
    returnUrl: fields.return_url,
    toAddress: fields.to_address,
    userLabel: fields.user_id,
    payerName: fields.payer.payer_name,
    payerAccount: fields.payer.payer_account,
    bankCode: fields.payer.bank_code,
    payerPhone: fields.payer.payer_phone,
    payerIdNumber: fields.payer.payer_id_number,
    remarkCode: fields.payer.remark_code,
    ...(upstream ? { instructions: upstream.instructions as unknown as Prisma.InputJsonValue, upstreamRef: upstream.upstreamRef } : {}),
    test: input.test,
    creationType: input.creationType,
    requestHash,
    createdById: input.createdById ?? null,
    expireAt,
    createdAt: now,
  };
}

/** The timeline a new payin starts with: CREATED, ROUTED, RISK_FLAGGED when a review rule matched, UPSTREAM_CREATED for a local connector. */
function timelineRows(
  input: CreatePayinInput,
  plan: Plan,
  fields: PrepaymentFields,
  amount: bigint,
  digits: number,
  expireAt: Date,
  actor: Actor,
  upstream: CreatedPayin | null,
): Array<Record<string, unknown>> {
  return [
    {
      type: 'CREATED',
      toStatus: 'PENDING',
      message: `payin of ${formatAmount(amount, digits)} ${fields.currency} created`,
      data: {
        amount: formatAmount(amount, digits),
        currency: fields.currency,
        service: plan.serviceCode,
        expireAt: expireAt.toISOString(),
        creationType: input.creationType,
        test: input.test,
      },
      actorType: actor.type,
      actorId: actor.id ?? null,
    },
    { type: 'ROUTED', message: `routed to channel ${plan.route.channel.code}`, data: plan.route.reason, actorType: 'SYSTEM' },
    ...(plan.risk.matched.length > 0
      ? [
          {
            type: 'RISK_FLAGGED',
            message: `flagged for review by ${plan.risk.matched.map((r) => `"${r.name}"`).join(', ')}`,
            data: { rules: plan.risk.matched },
            actorType: 'SYSTEM' as const,
          },
        ]
      : []),
    ...(upstream
      ? [
          {
            type: 'UPSTREAM_CREATED',
            message: `${plan.connector.kind} connector issued payment instructions`,
            data: { connector: plan.connector.kind, upstreamRef: upstream.upstreamRef, instructions: upstream.instructions },
            actorType: 'SYSTEM' as const,
          },
        ]
      : []),
  ];
}


/** Remote connector: the order is committed; ask the provider, then record its answer (or fail the order). */
async function createAtRemote(services: PayinsServices, plan: Plan, order: LoadedPayin, request: PayinRequest): Promise<LoadedPayin> {
  let upstream: CreatedPayin | null = null;
  let failure: string | null = null;
  try {
    upstream = await plan.connector.createPayin(connectorContext(services), request, plan.route.channel as Channel);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    services.log.warn({ err: error, orderNo: order.orderNo, channel: plan.route.channel.code }, 'upstream create payin failed');
  }
  return inTransaction(services, async (tx: Tx, outbox) => {
    const locked = (await lockPayin(tx, { id: order.id }))!;
    if (upstream) {
      await tx.order.update({
        where: { id: order.id },
        data: { instructions: upstream.instructions as unknown as Prisma.InputJsonValue, upstreamRef: upstream.upstreamRef },
      });
      await recordPayinEvent(tx, order.id, {
        type: 'UPSTREAM_CREATED',
        message: `${plan.connector.kind} connector accepted the order`,
        data: { connector: plan.connector.kind, upstreamRef: upstream.upstreamRef, instructions: upstream.instructions as unknown as Prisma.InputJsonValue },
        actor: { type: 'UPSTREAM', id: plan.route.channel.code },
      });
      return (await findPayin(tx, { id: order.id }))!;
    }
    if (locked.status !== 'PENDING') return locked;
    const failed = await transitionPayin(tx, outbox, locked, 'FAILED', {
      type: 'UPSTREAM_CREATE_FAILED',
      message: `the upstream refused or did not answer: ${failure ?? 'unknown error'}`.slice(0, 1000),
      actor: { type: 'UPSTREAM', id: plan.route.channel.code },
      patch: { finishedAt: new Date() },
    });
    await notifyPayinStatus(tx, failed);
    return failed;
  });
}
