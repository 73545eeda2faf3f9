import type { Originality } from '../../../generated/prisma/enums.ts';
import { recordAudit, type AuditActor } from '../../audit/audit.service.ts';
import { DomainError } from '../../../lib/errors.ts';
import type { PayoutsServices } from '../payouts.context.ts';
import { PayoutNotFoundError } from '../payouts.errors.ts';
import { lockPayout, recordPayoutEvent, type LoadedPayout, PAYOUT_TX_OPTIONS } from '../payouts.transition.ts';
import { applyUpstreamPayoutInTx } from './apply-upstream-payout.ts';
import { inTransaction } from '../../shared/process.ts';

/**
 * Manual operations on payouts from the back office, reason mandatory, audited:
 *   overridePayoutStatus  PROCESSING → SUCCEEDED | FAILED (staff confirmed with the upstream by other
 *                         means), SUCCEEDED → REVERSED; applied exactly as an upstream verdict would be
 *   setPayoutOriginality  NORMAL ↔ FRAUD
 */

export interface ManualPayoutInput {
  payoutId: string;
  actor: AuditActor;
  reason: string;
}

export async function overridePayoutStatus(
  services: Pick<PayoutsServices, 'prisma' | 'events'>,
  input: ManualPayoutInput & { status: 'SUCCEEDED' | 'FAILED' | 'REVERSED' },
): Promise<LoadedPayout> {
  return inTransaction(services, async (tx, outbox) => {
    const payout = await lockPayout(tx, { id: input.payoutId });
    if (!payout) throw new PayoutNotFoundError({ id: input.payoutId });
    const wanted = input.status === 'REVERSED' ? 'SUCCEEDED' : 'PROCESSING';
    if (payout.status !== wanted || !payout.channelId) {
      throw new DomainError('INVALID_TRANSITION', `a ${payout.status} payout cannot be changed to ${input.status} by hand`, { from: payout.status, to: input.status });
    }
    await recordPayoutEvent(tx, payout.id, {
      type: 'MANUAL_OVERRIDE',
      message: `manual change to ${input.status}: ${input.reason}`,
      actor: { type: input.actor.type, id: input.actor.id ?? null },
    });
    const applied = await applyUpstreamPayoutInTx(tx, outbox, {
      channelId: payout.channelId,
      channelCode: `manual:${input.actor.label ?? input.actor.id ?? 'staff'}`,
      payoutRef: payout.payoutNo,
      status: input.status,
      reason: input.reason,
      source: 'query',
    });
    await recordAudit(tx, input.actor, {
      action: 'payout.override_status',
      merchantId: payout.merchantId,
      entityType: 'Payout',
      entityId: payout.id,
      before: { status: payout.status },
      after: { status: applied.payout.status, reason: input.reason },
    });
    return applied.payout;
  }, PAYOUT_TX_OPTIONS);
}

export async function setPayoutOriginality(
  services: Pick<PayoutsServices, 'prisma' | 'events'>,
  input: ManualPayoutInput & { originality: Originality },
): Promise<LoadedPayout> {
  return inTransaction(services, async (tx) => {
    const payout = await lockPayout(tx, { id: input.payoutId });
    if (!payout) throw new PayoutNotFoundError({ id: input.payoutId });
    if (payout.originality === input.originality) return payout;
    await tx.payout.update({ where: { id: payout.id }, data: { originality: input.originality } });
    await recordPayoutEvent(tx, payout.id, {
      type: input.originality === 'FRAUD' ? 'MARKED_FRAUD' : 'MARKED_NORMAL',
      message: input.reason,
      actor: { type: input.actor.type, id: input.actor.id ?? null },
    });
    await recordAudit(tx, input.actor, {
      action: 'payout.set_originality',
      merchantId: payout.merchantId,
      entityType: 'Payout',
      entityId: payout.id,
      before: { originality: payout.originality },
      after: { originality: input.originality, reason: input.reason },
    });
    return { ...payout, originality: input.originality };
  }, PAYOUT_TX_OPTIONS);
}
