import type { Db, Prisma } from '../../db/prisma.ts';
import type { FundRequestKind } from '../../generated/prisma/enums.ts';
import { computeFee, MAX_RATE_PPM } from '../../lib/money.ts';
import { recordAudit, type AuditActor } from '../audit/audit.service.ts';
import { InvalidParameterError } from './funds.errors.ts';

/**
 * Fees of fund requests, per kind and currency, from the `fund_fees` Setting:
 *
 *   { "WITHDRAWAL": { "THB": { "ratePpm": 5000, "fixed": "1000" } },
 *     "TRANSFER":   { "THB": { "ratePpm": 0, "fixed": "500" } },
 *     "RECHARGE":   { … } }
 *
 * `ratePpm` is parts per million of the amount (1 % = 10000), `fixed` minor units of that currency
 * (a digit string, or a JSON integer). A kind or currency that is not listed costs nothing. The fee is
 * `computeFee(amount, ratePpm, fixed)` (half-up, never above the amount), fixed when the request is
 * created and stored on it, so a later change of the setting does not change a request in flight.
 * Withdrawal and transfer fees are charged on top of the amount (amount + fee is frozen); a recharge
 * fee is taken out of the recharged amount.
 */

export const FUND_FEES_SETTING = 'fund_fees';

export interface FundFeeRule {
  ratePpm: bigint;
  fixed: bigint;
}

export type FundFeeSchedule = Partial<Record<FundRequestKind, Record<string, FundFeeRule>>>;

const KINDS: readonly FundRequestKind[] = ['RECHARGE', 'WITHDRAWAL', 'TRANSFER'];
const CURRENCY_CODE = /^[A-Z][A-Z0-9]{1,9}$/;

/** Validates a schedule given as JSON (the setting's value or an admin's input). Throws INVALID_PARAMETER with the path as field. */
export function parseFundFeeSchedule(value: unknown): FundFeeSchedule {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidParameterError('fund_fees', 'must be an object by kind');
  const result: FundFeeSchedule = {};
  for (const [kind, byCurrency] of Object.entries(value as Record<string, unknown>)) {
    if (!KINDS.includes(kind as FundRequestKind)) throw new InvalidParameterError(`fund_fees.${kind}`, `unknown kind (one of ${KINDS.join(', ')})`);
    if (!byCurrency || typeof byCurrency !== 'object' || Array.isArray(byCurrency)) {
      throw new InvalidParameterError(`fund_fees.${kind}`, 'must be an object by currency');
    }
    const rules: Record<string, FundFeeRule> = {};
    for (const [currency, rule] of Object.entries(byCurrency as Record<string, unknown>)) {
      const path = `fund_fees.${kind}.${currency}`;
      if (!CURRENCY_CODE.test(currency)) throw new InvalidParameterError(path, 'not a currency code');
      if (!rule || typeof rule !== 'object' || Array.isArray(rule)) throw new InvalidParameterError(path, 'must be { ratePpm, fixed }');
      const r = rule as Record<string, unknown>;
      const ratePpm = nonNegativeInteger(r.ratePpm ?? 0, `${path}.ratePpm`);
      if (ratePpm > MAX_RATE_PPM) throw new InvalidParameterError(`${path}.ratePpm`, 'at most 1000000 (100 %)');
      rules[currency] = { ratePpm, fixed: nonNegativeInteger(r.fixed ?? 0, `${path}.fixed`) };
    }
    result[kind as FundRequestKind] = rules;
  }
  return result;
}

/** The schedule as stored JSON (integers as strings). */
export function serialiseFundFeeSchedule(schedule: FundFeeSchedule): Prisma.InputJsonObject {
  const out: Record<string, Record<string, { ratePpm: string; fixed: string }>> = {};
  for (const kind of KINDS) {
    const rules = schedule[kind];
    if (!rules) continue;
    out[kind] = Object.fromEntries(Object.entries(rules).map(([c, r]) => [c, { ratePpm: r.ratePpm.toString(), fixed: r.fixed.toString() }]));
  }
  return out;
}

/** The current schedule (empty when the setting is absent: every fund fee is 0). */
export async function readFundFeeSchedule(db: Db): Promise<FundFeeSchedule> {
  const row = await db.setting.findUnique({ where: { key: FUND_FEES_SETTING }, select: { value: true } });
  return parseFundFeeSchedule(row?.value);
}

/** Replaces the schedule (validated), audited as `settings.fund_fees`. Returns what was stored. */
export async function writeFundFeeSchedule(db: Db, value: unknown, actor: AuditActor): Promise<FundFeeSchedule> {
  const schedule = parseFundFeeSchedule(value);
  const before = await db.setting.findUnique({ where: { key: FUND_FEES_SETTING }, select: { value: true } });
  const json = serialiseFundFeeSchedule(schedule);
  await db.setting.upsert({ where: { key: FUND_FEES_SETTING }, create: { key: FUND_FEES_SETTING, value: json }, update: { value: json } });
  await recordAudit(db, actor, {
    action: 'settings.fund_fees',
    entityType: 'Setting',
    entityId: FUND_FEES_SETTING,
    before: (before?.value ?? null) as Prisma.InputJsonValue | null,
    after: json,
  });
  return schedule;
}

/** The fee of a fund request of `kind` over `amount` minor units of `currency` under `schedule`. */
export function fundFee(schedule: FundFeeSchedule, kind: FundRequestKind, currency: string, amount: bigint): bigint {
  const rule = schedule[kind]?.[currency];
  if (!rule) return 0n;
  return computeFee(amount, rule.ratePpm, rule.fixed);
}

/** Reads the schedule and prices one request (for a "fee preview" in forms). */
export async function quoteFundFee(db: Db, kind: FundRequestKind, currency: string, amount: bigint): Promise<bigint> {
  return fundFee(await readFundFeeSchedule(db), kind, currency, amount);
}

function nonNegativeInteger(value: unknown, field: string): bigint {
  if (typeof value === 'string' && /^[0-9]{1,19}$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new InvalidParameterError(field, 'must be a non-negative integer (minor units / ppm), as a string or an integer');
}
