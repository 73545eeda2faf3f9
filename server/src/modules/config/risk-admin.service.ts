import type { Tx } from '../../db/prisma.ts';
import type { RiskRule } from '../../generated/prisma/client.ts';
import type { Direction, EnableStatus, RiskAction } from '../../generated/prisma/enums.ts';
import { actorOf, assertCan, type RequestContext } from '../auth/authorize.ts';
import { ConfigNotFoundError, CurrencyNotSupportedError, InvalidParameterError } from './config.errors.ts';
import { assertMayConfigure, writable } from './config.access.ts';
import { amountOf, auditedTransaction, currencyCodeOf, jsonSafe, requiredText } from './config.input.ts';

/**
 * Risk rules (seed 004 "Risk Rules"), evaluated by modules/risk/risk.service.ts for payins and payouts:
 *   AMOUNT_ABOVE        amount > threshold                 threshold: money, currency required
 *   DAILY_VOLUME_ABOVE  today's volume + amount > threshold threshold: money, currency required
 *   DAILY_COUNT_ABOVE   today's count + 1 > threshold       threshold: a whole number ≥ 1; currency optional
 *   BLOCKED_ACCOUNT     payer/recipient account = value     value: the account; currency optional
 * REJECT refuses the transaction; REVIEW holds a payout for finance and flags a payin. A rule without a merchant applies to
 * every merchant. Amount thresholds are stored in minor units of the rule's currency, so a change of
 * kind or currency must give the threshold again.
 *
 * Audit rows about risk rules carry no merchantId (the thresholds are not for merchants' eyes, even a
 * merchant role with audit access); the merchant's mch_id is in the snapshot.
 */

export const RISK_RULE_KINDS = ['AMOUNT_ABOVE', 'DAILY_VOLUME_ABOVE', 'DAILY_COUNT_ABOVE', 'BLOCKED_ACCOUNT'] as const;
export type RiskRuleKind = (typeof RISK_RULE_KINDS)[number];

const AMOUNT_KINDS: ReadonlySet<string> = new Set(['AMOUNT_ABOVE', 'DAILY_VOLUME_ABOVE']);
const MAX_COUNT = 1_000_000_000n;

export interface CreateRiskRuleInput {
  name: string;
  /** Null: every merchant. */
  merchantId?: string | null;
  direction: Direction;
  kind: RiskRuleKind;
  currency?: string | null;
  /** Amount rules: decimal in the currency; count rules: a whole number. */
  threshold?: string | null;
  value?: string | null;
  action: RiskAction;
  status?: EnableStatus | null;
}

export interface UpdateRiskRuleInput {
  id: string;
  name?: string | null;
  /** undefined: unchanged; null: every merchant. */
  merchantId?: string | null;
  direction?: Direction | null;
  kind?: RiskRuleKind | null;
  /** undefined: unchanged; null: any currency (not for amount rules). */
  currency?: string | null;
  threshold?: string | null;
  value?: string | null;
  action?: RiskAction | null;
  status?: EnableStatus | null;
}

type WithMerchant = RiskRule & { merchant: { mchId: string } | null };

export function riskRuleAuditView(r: WithMerchant) {
  return jsonSafe({
    name: r.name,
    merchantId: r.merchantId,
    mchId: r.merchant?.mchId ?? null,
    direction: r.direction,
    kind: r.kind,
    currency: r.currencyCode,
    threshold: r.threshold,
    value: r.value,
    action: r.action,
    status: r.status,
  });
}

interface RuleShape {
  kind: string;
  currencyCode: string | null;
  threshold: bigint | null;
  value: string | null;
}

/** Checks a rule's kind-specific fields; `thresholdText` undefined keeps `storedThreshold`. */
async function shapeOf(
  tx: Tx,
  kind: string,
  currencyCode: string | null,
  thresholdText: string | null | undefined,
  storedThreshold: bigint | null,
  valueText: string | null,
): Promise<RuleShape> {
  if (!(RISK_RULE_KINDS as readonly string[]).includes(kind)) throw new InvalidParameterError('kind', `must be one of ${RISK_RULE_KINDS.join(', ')}`);
  let digits: number | null = null;
  if (currencyCode !== null) {
    const currency = await tx.currency.findUnique({ where: { code: currencyCode }, select: { digits: true, status: true } });
    if (!currency || currency.status !== 'ENABLED') throw new CurrencyNotSupportedError('currency', currencyCode);
    digits = currency.digits;
  }
  if (kind === 'BLOCKED_ACCOUNT') {
    if (valueText === null) throw new InvalidParameterError('value', 'the blocked account is required');
    if (thresholdText != null) throw new InvalidParameterError('threshold', 'BLOCKED_ACCOUNT has no threshold');
    return { kind, currencyCode, threshold: null, value: valueText };
  }
  if (valueText !== null) throw new InvalidParameterError('value', `${kind} has no value`);
  let threshold: bigint;
  if (thresholdText === undefined) {
    if (storedThreshold === null) throw new InvalidParameterError('threshold', 'required');
    threshold = storedThreshold;
  } else if (thresholdText === null || thresholdText.trim() === '') {
    throw new InvalidParameterError('threshold', 'required');
  } else if (AMOUNT_KINDS.has(kind)) {
    if (digits === null) throw new InvalidParameterError('currency', `${kind} needs a currency: the threshold is an amount`);
    threshold = amountOf(thresholdText.trim(), digits, 'threshold');
  } else {
    const text = thresholdText.trim();
    if (!/^[0-9]{1,10}$/.test(text)) throw new InvalidParameterError('threshold', 'must be a whole number of transactions');
    threshold = BigInt(text);
    if (threshold > MAX_COUNT) throw new InvalidParameterError('threshold', `at most ${MAX_COUNT}`);
  }
  if (AMOUNT_KINDS.has(kind) && currencyCode === null) throw new InvalidParameterError('currency', `${kind} needs a currency: the threshold is an amount`);
  if (threshold <= 0n) throw new InvalidParameterError('threshold', 'must be greater than 0');
  return { kind, currencyCode, threshold, value: null };
}

async function merchantRef(tx: Tx, merchantId: string | null): Promise<string | null> {
  if (merchantId === null) return null;
  const merchant = await tx.merchant.findUnique({ where: { id: merchantId }, select: { id: true } });
  if (!merchant) throw new ConfigNotFoundError('Merchant', 'merchantId');
  return merchant.id;
}

const valueOf = (value: string | null | undefined) => (value == null || value.trim() === '' ? null : requiredText(value, 'value', 256));
const withMerchant = { merchant: { select: { mchId: true } } } as const;

export async function createRiskRule(ctx: RequestContext, input: CreateRiskRuleInput): Promise<RiskRule> {
  assertMayConfigure(ctx, 'create', 'RiskRule');
  if (input.merchantId) assertCan(ctx, 'create', 'RiskRule', { merchantId: input.merchantId });
  const name = requiredText(input.name, 'name', 100);
  const currencyCode = input.currency == null || input.currency.trim() === '' ? null : currencyCodeOf(input.currency, 'currency');
  const value = valueOf(input.value);

  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    const merchantId = await merchantRef(tx, input.merchantId ?? null);
    const shape = await shapeOf(tx, input.kind, currencyCode, input.threshold ?? null, null, value);
    const rule = await tx.riskRule.create({
      data: { name, merchantId, direction: input.direction, action: input.action, status: input.status ?? 'ENABLED', ...shape },
      include: withMerchant,
    });
    return { result: rule, audit: { action: 'risk_rule.create', entityType: 'RiskRule', entityId: rule.id, after: riskRuleAuditView(rule) } };
  });
}

export async function updateRiskRule(ctx: RequestContext, input: UpdateRiskRuleInput): Promise<RiskRule> {
  assertMayConfigure(ctx, 'update', 'RiskRule');
  const name = input.name == null ? undefined : requiredText(input.name, 'name', 100);
  const currencyText = input.currency === undefined ? undefined : input.currency === null || input.currency.trim() === '' ? null : currencyCodeOf(input.currency, 'currency');

  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    await tx.$queryRaw`SELECT id FROM risk_rules WHERE id = ${input.id}::uuid FOR UPDATE`;
    const before = writable(ctx, 'update', 'RiskRule', await tx.riskRule.findUnique({ where: { id: input.id }, include: withMerchant }));
    if (input.merchantId) assertCan(ctx, 'update', 'RiskRule', { merchantId: input.merchantId });
    const merchantId = input.merchantId === undefined ? before.merchantId : await merchantRef(tx, input.merchantId);
    const kind = input.kind ?? before.kind;
    const currencyCode = currencyText === undefined ? before.currencyCode : currencyText;
    // A stored amount threshold means minor units of the stored kind and currency only.
    const keepThreshold = kind === before.kind && currencyCode === before.currencyCode;
    if (!keepThreshold && input.threshold === undefined && kind !== 'BLOCKED_ACCOUNT') {
      throw new InvalidParameterError('threshold', 'give the threshold again when the kind or currency changes');
    }
    const value = input.value === undefined ? (kind === 'BLOCKED_ACCOUNT' ? before.value : null) : valueOf(input.value);
    const shape = await shapeOf(tx, kind, currencyCode, input.threshold, keepThreshold ? before.threshold : null, value);
    const after = await tx.riskRule.update({
      where: { id: before.id },
      data: {
        ...(name !== undefined ? { name } : {}),
        ...(input.direction != null ? { direction: input.direction } : {}),
        ...(input.action != null ? { action: input.action } : {}),
        ...(input.status != null ? { status: input.status } : {}),
        merchantId,
        ...shape,
      },
      include: withMerchant,
    });
    return {
      result: after,
      audit: { action: 'risk_rule.update', entityType: 'RiskRule', entityId: after.id, before: riskRuleAuditView(before), after: riskRuleAuditView(after) },
    };
  });
}

export async function deleteRiskRule(ctx: RequestContext, id: string): Promise<RiskRule> {
  assertMayConfigure(ctx, 'delete', 'RiskRule');
  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    await tx.$queryRaw`SELECT id FROM risk_rules WHERE id = ${id}::uuid FOR UPDATE`;
    const before = writable(ctx, 'delete', 'RiskRule', await tx.riskRule.findUnique({ where: { id }, include: withMerchant }));
    await tx.riskRule.delete({ where: { id } });
    return { result: before, audit: { action: 'risk_rule.delete', entityType: 'RiskRule', entityId: before.id, before: riskRuleAuditView(before) } };
  });
}
