import type { Tx } from '../../db/prisma.ts';
import type { Service } from '../../generated/prisma/client.ts';
import type { Direction, EnableStatus, ServiceKind } from '../../generated/prisma/enums.ts';
import { actorOf, type RequestContext } from '../auth/authorize.ts';
import { PAYER_FIELDS } from '../payins/payins.params.ts';
import { RECIPIENT_FIELDS } from '../payouts/payouts.params.ts';
import { assertMayConfigure, writable } from './config.access.ts';
import { CurrencyNotSupportedError, DuplicateError, InUseError, InvalidParameterError } from './config.errors.ts';
import { auditedTransaction, codeOf, countryOf, currencyCodeOf, jsonSafe, optionalText, requiredText, unique } from './config.input.ts';

/**
 * The service catalogue (DESIGN "Service"): a product merchants can use, e.g. THB bank transfer payin.
 *
 * The code is what payment clients send (`service`) and is fixed once created. Direction, currency and
 * chain say what the amounts of every merchant activation, channel binding and order mean, so they can
 * change only while nothing uses the service (IN_USE otherwise); name, kind, country, required fields
 * and status can always change. Required fields are the payer fields of seed 001 for payins, the
 * recipient fields for payouts.
 */

export interface CreateServiceInput {
  code: string;
  name: string;
  direction: Direction;
  kind: ServiceKind;
  currency: string;
  chain?: string | null;
  country?: string | null;
  requiredFields?: readonly string[] | null;
  status?: EnableStatus | null;
}

export interface UpdateServiceInput {
  id: string;
  name?: string | null;
  kind?: ServiceKind | null;
  direction?: Direction | null;
  currency?: string | null;
  /** null clears (a non-crypto service has no chain). */
  chain?: string | null;
  country?: string | null;
  requiredFields?: readonly string[] | null;
  status?: EnableStatus | null;
}

const CHAIN = /^[A-Z][A-Z0-9_]{1,31}$/;

export function serviceAuditView(s: Service) {
  return jsonSafe({
    code: s.code,
    name: s.name,
    direction: s.direction,
    kind: s.kind,
    currency: s.currencyCode,
    chain: s.chain,
    country: s.country,
    requiredFields: [...s.requiredFields],
    status: s.status,
  });
}

function requiredFieldsOf(fields: readonly string[], direction: Direction): string[] {
  const allowed: readonly string[] = direction === 'PAYIN' ? PAYER_FIELDS : RECIPIENT_FIELDS;
  const out: string[] = [];
  for (const raw of fields) {
    const field = raw.trim().toLowerCase();
    if (!allowed.includes(field)) {
      throw new InvalidParameterError('requiredFields', `"${raw}" is not a ${direction === 'PAYIN' ? 'payer' : 'recipient'} field (one of ${allowed.join(', ')})`, { allowed });
    }
    if (!out.includes(field)) out.push(field);
  }
  return out;
}

async function currencyFor(tx: Tx, code: string, field: string) {
  const currency = await tx.currency.findUnique({ where: { code }, select: { code: true, crypto: true, status: true } });
  if (!currency || currency.status !== 'ENABLED') throw new CurrencyNotSupportedError(field, code);
  return currency;
}

/** A crypto service names its chain (TRON …); a fiat one has none. */
function chainFor(chain: string | null, crypto: boolean): string | null {
  if (!crypto) {
    if (chain !== null) throw new InvalidParameterError('chain', 'only crypto services have a chain');
    return null;
  }
  if (chain === null) throw new InvalidParameterError('chain', 'a crypto service names its chain, e.g. TRON');
  if (!CHAIN.test(chain)) throw new InvalidParameterError('chain', 'must be a chain name such as TRON');
  return chain;
}

export async function createService(ctx: RequestContext, input: CreateServiceInput): Promise<Service> {
  assertMayConfigure(ctx, 'create', 'Service');
  const code = codeOf(input.code, 'code');
  const name = requiredText(input.name, 'name', 100);
  const currencyCode = currencyCodeOf(input.currency, 'currency');
  const chainText = optionalText(input.chain, 'chain', 32)?.toUpperCase() ?? null;
  const country = countryOf(input.country) ?? null;
  const requiredFields = requiredFieldsOf(input.requiredFields ?? [], input.direction);

  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    const currency = await currencyFor(tx, currencyCode, 'currency');
    const chain = chainFor(chainText, currency.crypto);
    const service = await unique(
      () =>
        tx.service.create({
          data: { code, name, direction: input.direction, kind: input.kind, currencyCode, chain, country, requiredFields, status: input.status ?? 'ENABLED' },
        }),
      () => new DuplicateError('Service', 'code', `a service with code ${code} exists`),
    );
    return { result: service, audit: { action: 'service.create', entityType: 'Service', entityId: service.id, after: serviceAuditView(service) } };
  });
}

export async function updateService(ctx: RequestContext, input: UpdateServiceInput): Promise<Service> {
  assertMayConfigure(ctx, 'update', 'Service');
  const name = input.name == null ? undefined : requiredText(input.name, 'name', 100);
  const currencyCode = input.currency == null ? undefined : currencyCodeOf(input.currency, 'currency');
  const chainText = input.chain === undefined ? undefined : (optionalText(input.chain, 'chain', 32)?.toUpperCase() ?? null);
  const country = countryOf(input.country);

  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    await tx.$queryRaw`SELECT id FROM services WHERE id = ${input.id}::uuid FOR UPDATE`;
    const before = writable(ctx, 'update', 'Service', await tx.service.findUnique({ where: { id: input.id } }));

    const direction = input.direction ?? before.direction;
    const currency = await currencyFor(tx, currencyCode ?? before.currencyCode, 'currency');
    const chain = chainText === undefined && currencyCode === undefined ? before.chain : chainFor(chainText === undefined ? before.chain : chainText, currency.crypto);
    const requiredFields = input.requiredFields != null ? requiredFieldsOf(input.requiredFields, direction) : direction !== before.direction ? [] : before.requiredFields;

    const moves: Array<[string, boolean]> = [
      ['direction', direction !== before.direction],
      ['currency', currency.code !== before.currencyCode],
      ['chain', chain !== before.chain],
    ];
    const moved = moves.find(([, changed]) => changed);
    if (moved && (await serviceInUse(tx, before.id))) {
      throw new InUseError('Service', moved[0], `the ${moved[0]} of service ${before.code} cannot change: merchants, channels or orders use it`);
    }

    const after = await tx.service.update({
      where: { id: before.id },
      data: {
        ...(name !== undefined ? { name } : {}),
        ...(input.kind != null ? { kind: input.kind } : {}),
        ...(input.status != null ? { status: input.status } : {}),
        ...(country !== undefined ? { country } : {}),
        direction,
        currencyCode: currency.code,
        chain,
        requiredFields,
      },
    });
    return {
      result: after,
      audit: { action: 'service.update', entityType: 'Service', entityId: after.id, before: serviceAuditView(before), after: serviceAuditView(after) },
    };
  });
}

async function serviceInUse(tx: Tx, serviceId: string): Promise<boolean> {
  // One after the other: a transaction is one connection.
  if (await tx.merchantService.findFirst({ where: { serviceId }, select: { id: true } })) return true;
  if (await tx.channelService.findFirst({ where: { serviceId }, select: { id: true } })) return true;
  if (await tx.order.findFirst({ where: { serviceId }, select: { id: true } })) return true;
  return !!(await tx.payout.findFirst({ where: { serviceId }, select: { id: true } }));
}
