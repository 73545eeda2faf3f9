import type { Merchant } from '../../generated/prisma/client.ts';
import type { MerchantStatus } from '../../generated/prisma/enums.ts';
import { MCH_ID_PATTERN, newMchId } from '../../lib/ids.ts';
import { invalidateAppCredentials } from '../apps/app-credentials.ts';
import { actorOf, type RequestContext } from '../auth/authorize.ts';
import { assertMayConfigure, writable } from './config.access.ts';
import { DuplicateError, InvalidParameterError, InvalidTransitionError } from './config.errors.ts';
import { auditedTransaction, countryOf, emailOf, jsonSafe, requiredText, timezoneOf, unique } from './config.input.ts';

/**
 * Merchants in the back office (seed 004 "Create Merchant", "Merchant Settings"): create with a given
 * or generated 10-digit mch_id, change name, status, country, time zone and contact email.
 *
 * Status: ACTIVE ⇄ SUSPENDED, either → CLOSED; CLOSED is final (its mch_id stays taken). A merchant
 * that is not ACTIVE is refused by the REST API (40302); the REST layer's cached app credentials are
 * dropped after the commit so the very next signed request sees the new status.
 */

export interface CreateMerchantInput {
  name: string;
  /** 10 digits, not starting with 0; generated when absent. */
  mchId?: string | null;
  status?: MerchantStatus | null;
  country?: string | null;
  timezone?: string | null;
  contactEmail?: string | null;
}

export interface UpdateMerchantInput {
  id: string;
  name?: string | null;
  status?: MerchantStatus | null;
  country?: string | null;
  timezone?: string | null;
  contactEmail?: string | null;
}

const TRANSITIONS: Record<MerchantStatus, readonly MerchantStatus[]> = {
  ACTIVE: ['SUSPENDED', 'CLOSED'],
  SUSPENDED: ['ACTIVE', 'CLOSED'],
  CLOSED: [],
};

/** What the audit log keeps of a merchant. */
export function merchantAuditView(m: Merchant) {
  return jsonSafe({ mchId: m.mchId, name: m.name, status: m.status, country: m.country, timezone: m.timezone, contactEmail: m.contactEmail });
}

export async function createMerchant(ctx: RequestContext, input: CreateMerchantInput): Promise<Merchant> {
  assertMayConfigure(ctx, 'create', 'Merchant');
  const name = requiredText(input.name, 'name', 200);
  const given = input.mchId?.trim() || null;
  if (given !== null && !MCH_ID_PATTERN.test(given)) throw new InvalidParameterError('mchId', 'must be 10 digits, not starting with 0');
  const status = input.status ?? 'ACTIVE';
  if (status === 'CLOSED') throw new InvalidParameterError('status', 'a new merchant is ACTIVE or SUSPENDED');
  const data = {
    name,
    status,
    country: countryOf(input.country) ?? null,
    timezone: input.timezone == null || input.timezone.trim() === '' ? 'UTC' : timezoneOf(input.timezone),
    contactEmail: emailOf(input.contactEmail) ?? null,
  };

  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    let mchId = given;
    if (mchId === null) {
      // 9·10⁹ numbers: a clash is rare; look before inserting so the transaction never aborts on one.
      for (let attempt = 0; mchId === null; attempt++) {
        const candidate = newMchId();
        if (!(await tx.merchant.findUnique({ where: { mchId: candidate }, select: { id: true } }))) mchId = candidate;
        else if (attempt >= 5) throw new Error('could not find a free mch_id');
      }
    }
    const id = mchId;
    const merchant = await unique(
      () => tx.merchant.create({ data: { ...data, mchId: id } }),
      () => new DuplicateError('Merchant', 'mchId', `merchant number ${id} is taken`),
    );
    return {
      result: merchant,
      audit: { action: 'merchant.create', merchantId: merchant.id, entityType: 'Merchant', entityId: merchant.id, after: merchantAuditView(merchant) },
    };
  });
}

export async function updateMerchant(ctx: RequestContext, input: UpdateMerchantInput): Promise<Merchant> {
  assertMayConfigure(ctx, 'update', 'Merchant');
  const name = input.name == null ? undefined : requiredText(input.name, 'name', 200);
  const country = countryOf(input.country);
  const timezone = input.timezone == null ? undefined : timezoneOf(input.timezone);
  const contactEmail = emailOf(input.contactEmail);
  const status = input.status ?? undefined;

  const updated = await auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    await tx.$queryRaw`SELECT id FROM merchants WHERE id = ${input.id}::uuid FOR UPDATE`;
    const before = writable(ctx, 'update', 'Merchant', await tx.merchant.findUnique({ where: { id: input.id } }));
    if (status !== undefined && status !== before.status && !TRANSITIONS[before.status].includes(status)) {
      throw new InvalidTransitionError('Merchant', before.status, status, `a ${before.status} merchant cannot become ${status}`);
    }
    const after = await tx.merchant.update({
      where: { id: before.id },
      data: {
        ...(name !== undefined ? { name } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(country !== undefined ? { country } : {}),
        ...(timezone !== undefined ? { timezone } : {}),
        ...(contactEmail !== undefined ? { contactEmail } : {}),
      },
    });
    return {
      result: { before, after },
      audit: {
        action: before.status !== after.status ? 'merchant.set_status' : 'merchant.update',
        merchantId: after.id,
        entityType: 'Merchant',
        entityId: after.id,
        before: merchantAuditView(before),
        after: merchantAuditView(after),
      },
    };
  });
  // After the commit: a request in between could have cached the old status.
  if (updated.before.status !== updated.after.status) invalidateAppCredentials();
  return updated.after;
}
