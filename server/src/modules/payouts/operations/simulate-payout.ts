import type { AuditHook } from '../../audit/audit.service.ts';
import { currencyDigits } from '../../catalog/catalog.service.ts';
import { SimulationUnsupportedError } from '../../payins/payins.errors.ts';
import { DomainError } from '../../../lib/errors.ts';
import { type Actor, inTransaction } from '../../shared/process.ts';
import type { SimulatedOutcome } from '../../routing/connectors/connector.ts';
import { simulatorOf } from '../../routing/connectors/registry.ts';
import type { PayoutsServices } from '../payouts.context.ts';
import { PayoutNotFoundError } from '../payouts.errors.ts';
import { lockPayout, recordPayoutEvent, type LoadedPayout, PAYOUT_TX_OPTIONS } from '../payouts.transition.ts';

/**
 * "Simulate callback" for a TEST payout on a sandbox channel (seed 000): the sandbox upstream sends its
 * signed callback — success or failure for a PROCESSING payout, reversal for a SUCCEEDED one — over
 * HTTP like a real one, so the result arrives through the normal upstream path a moment later.
 * Errors: PAYOUT_NOT_FOUND, TEST_ORDER_REQUIRED, INVALID_TRANSITION, SIMULATION_UNSUPPORTED, CHANNEL_CREDENTIALS_MISSING.
 */
export async function simulatePayoutCallback(
  services: PayoutsServices,
  input: { payoutId: string; merchantId?: string | null; outcome: SimulatedOutcome; actor: Actor; delayMs?: number; audit?: AuditHook },
): Promise<{ payout: LoadedPayout; eventId: string; runAt: Date }> {
  return inTransaction(services, async (tx) => {
    const payout = await lockPayout(tx, { id: input.payoutId });
    if (!payout || (input.merchantId && payout.merchantId !== input.merchantId)) throw new PayoutNotFoundError({ id: input.payoutId });
    if (!payout.test) throw new DomainError('TEST_ORDER_REQUIRED', 'callbacks can be simulated for test payouts only');
    const wanted = input.outcome === 'reversal' ? 'SUCCEEDED' : 'PROCESSING';
    if (payout.status !== wanted) {
      const to = input.outcome === 'success' ? 'SUCCEEDED' : input.outcome === 'failure' ? 'FAILED' : 'REVERSED';
      throw new DomainError('INVALID_TRANSITION', `cannot simulate a ${input.outcome} callback for a ${payout.status} payout`, { from: payout.status, to });
    }
    const channel = payout.channelId ? await tx.channel.findUnique({ where: { id: payout.channelId } }) : null;
    const simulator = channel ? simulatorOf(channel.connector) : undefined;
    if (!channel || !simulator) throw new SimulationUnsupportedError(channel?.connector ?? 'none');
    const scheduled = await simulator.payout(
      { db: tx, secrets: services.secrets },
      { payoutNo: payout.payoutNo, upstreamRef: payout.upstreamRef, currency: payout.currencyCode, digits: await currencyDigits(tx, payout.currencyCode) },
      channel,
      input.outcome,
      input.delayMs ?? 0,
    );
    await recordPayoutEvent(tx, payout.id, {
      type: 'CALLBACK_SIMULATED',
      message: `simulated ${input.outcome} callback requested`,
      data: { eventId: scheduled.eventId, outcome: input.outcome },
      actor: input.actor,
    });
    await input.audit?.(tx, { id: payout.id, merchantId: payout.merchantId });
    return { payout, ...scheduled };
  }, PAYOUT_TX_OPTIONS);
}
