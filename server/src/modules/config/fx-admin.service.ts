import type { FxRate } from '../../generated/prisma/client.ts';
import { actorOf, type RequestContext } from '../auth/authorize.ts';
import { CurrencyNotSupportedError, DuplicateError, InvalidParameterError } from './config.errors.ts';
import { assertMayConfigure, writable } from './config.access.ts';
import { auditedTransaction, currencyCodeOf, unique } from './config.input.ts';

/**
 * Display-only exchange rates (DESIGN "FxRate": dashboard totals in a display currency, USD by
 * default). One unit of `base` = `rate` units of `quote`. The rate is an exact decimal string (at most
 * 18 integer and 12 fractional digits, the column's Decimal(30, 12)), greater than zero; it never
 * passes through a float. `setFxRate` creates the pair or replaces its rate.
 */

export interface SetFxRateInput {
  base: string;
  quote: string;
  rate: string;
}

const RATE = /^([0-9]{1,18})(?:\.([0-9]{1,12}))?$/;

/** Canonical decimal text of a positive rate: "0012.500" → "12.5". Throws INVALID_PARAMETER (field rate). */
export function rateOf(value: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const match = RATE.exec(text);
  if (!match) throw new InvalidParameterError('rate', 'must be a positive decimal with at most 18 integer and 12 fractional digits, e.g. "0.0282"');
  const integer = match[1]!.replace(/^0+(?=[0-9])/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (/^0+$/.test(integer) && fraction === '') throw new InvalidParameterError('rate', 'must be greater than 0');
  return fraction === '' ? integer : `${integer}.${fraction}`;
}

export function fxAuditView(r: Pick<FxRate, 'base' | 'quote' | 'rate'>) {
  return { base: r.base, quote: r.quote, rate: r.rate.toFixed() };
}

export async function setFxRate(ctx: RequestContext, input: SetFxRateInput): Promise<FxRate> {
  assertMayConfigure(ctx, 'create', 'FxRate');
  assertMayConfigure(ctx, 'update', 'FxRate');
  const base = currencyCodeOf(input.base, 'base');
  const quote = currencyCodeOf(input.quote, 'quote');
  if (base === quote) throw new InvalidParameterError('quote', 'must differ from base');
  const rate = rateOf(input.rate);

  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    for (const [field, code] of [['base', base], ['quote', quote]] as const) {
      const currency = await tx.currency.findUnique({ where: { code }, select: { code: true } });
      if (!currency) throw new CurrencyNotSupportedError(field, code);
    }
    await tx.$queryRaw`SELECT id FROM fx_rates WHERE base = ${base} AND quote = ${quote} FOR UPDATE`;
    const before = await tx.fxRate.findUnique({ where: { base_quote: { base, quote } } });
    const after = before
      ? await tx.fxRate.update({ where: { id: before.id }, data: { rate } })
      : await unique(
          () => tx.fxRate.create({ data: { base, quote, rate } }),
          () => new DuplicateError('FxRate', 'quote', `a ${base}/${quote} rate was just created; try again`),
        );
    return {
      result: after,
      audit: {
        action: 'fx_rate.set',
        entityType: 'FxRate',
        entityId: after.id,
        ...(before ? { before: fxAuditView(before) } : {}),
        after: fxAuditView(after),
      },
    };
  });
}

export async function deleteFxRate(ctx: RequestContext, id: string): Promise<FxRate> {
  assertMayConfigure(ctx, 'delete', 'FxRate');
  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    await tx.$queryRaw`SELECT id FROM fx_rates WHERE id = ${id}::uuid FOR UPDATE`;
    const before = writable(ctx, 'delete', 'FxRate', await tx.fxRate.findUnique({ where: { id } }));
    await tx.fxRate.delete({ where: { id } });
    return { result: before, audit: { action: 'fx_rate.delete', entityType: 'FxRate', entityId: before.id, before: fxAuditView(before) } };
  });
}
