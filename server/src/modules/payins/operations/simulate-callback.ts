import { DomainError } from '../../../lib/errors.ts';
import type { AuditHook } from '../../audit/audit.service.ts';
import type { PayinsServices } from '../payins.context.ts';
import { InvalidTransitionError, PayinNotFoundError, SimulationUnsupportedError, TestPayinRequiredError } from '../payins.errors.ts';
import { isOpenPayin } from '../payins.state.ts';
import { lockPayin, recordPayinEvent, type LoadedPayin, type PayinKey } from '../payins.transition.ts';
import { type Actor, inTransaction } from '../../shared/process.ts';
import type { SimulatedOutcome } from '../../routing/connectors/connector.ts';
import { simulatorOf } from '../../routing/connectors/registry.ts';

/**
 * Seed 000 "simulate callback": for a TEST order that is in progress (PENDING or PROCESSING), make
 * the sandbox upstream send its signed callback now: `success` (pays what is missing, or `amount`)
 * or `failure`. `reversal` (status reversal of a SUCCEEDED test order, which the seed reserves for
 * test staff: the GraphQL layer asks for the `override` permission) is accepted too. A success carries
 * at most what the order still misses (INVALID_AMOUNT otherwise), and test orders post to the test
 * book only, so no simulation can raise a live balance. The callback travels over HTTP like a real one (job `sandbox:deliver`),
 * so the result shows up a moment later through the normal upstream path.
 * Errors: ORDER_NOT_FOUND, TEST_ORDER_REQUIRED, INVALID_TRANSITION, SIMULATION_UNSUPPORTED (not a sandbox
 * channel), CHANNEL_CREDENTIALS_MISSING.
 */

export interface SimulateCallbackInput {
  key: PayinKey;
  /** Merchant-scoped callers: the order must be theirs. */
  merchantId?: string;
  outcome: SimulatedOutcome;
  /** Amount of a successful payment in minor units (partial payments); default what is missing. */
  amount?: bigint;
  actor: Actor;
  /** Default 0: the callback is sent at once. */
  delayMs?: number;
  /** Back office: the audit row, written in the operation's transaction. */
  audit?: AuditHook;
}

export async function simulateCallback(
  services: PayinsServices,
  input: SimulateCallbackInput,
): Promise<{ order: LoadedPayin; eventId: string; runAt: Date }> {
  return inTransaction(services, async (tx) => {
    const order = await lockPayin(tx, input.key);
    if (!order || (input.merchantId && order.merchantId !== input.merchantId)) throw new PayinNotFoundError();
    if (!order.test) throw new TestPayinRequiredError();
    if (input.outcome === 'reversal' ? order.status !== 'SUCCEEDED' : !isOpenPayin(order.status)) {
      const to = input.outcome === 'success' ? 'SUCCEEDED' : input.outcome === 'failure' ? 'FAILED' : 'REVERSED';
      throw new InvalidTransitionError(order.status, to, `cannot simulate a ${input.outcome} callback for a ${order.status} payin`);
    }
    if (input.outcome === 'success' && input.amount !== undefined) {
      // A simulated payment carries at most what the order still misses: sub-payments may add up to the
      // order's amount, never more (a test order must not become a source of money of the caller's choosing).
      const missing = order.amount - order.paidAmount;
      if (input.amount <= 0n || input.amount > missing) {
        throw new DomainError('INVALID_AMOUNT', `amount: a simulated payment must be positive and at most what the order still misses (${missing} minor units)`, {
          field: 'amount',
          reason: input.amount <= 0n ? 'NOT_POSITIVE' : 'EXCEEDS_ORDER',
          max: missing.toString(),
        });
      }
    }
    const channel = order.channelId ? await tx.channel.findUnique({ where: { id: order.channelId } }) : null;
    const simulator = channel ? simulatorOf(channel.connector) : undefined;
    if (!channel || !simulator) throw new SimulationUnsupportedError(channel?.connector ?? 'none');
    const scheduled = await simulator.payin({ db: tx, secrets: services.secrets }, { ...order, currency: order.currencyCode }, channel, {
      outcome: input.outcome,
      delayMs: input.delayMs ?? 0,
      ...(input.amount !== undefined ? { amount: input.amount } : {}),
    });
    await recordPayinEvent(tx, order.id, {
      type: 'CALLBACK_SIMULATED',
      message: `simulated ${input.outcome} callback requested`,
      data: { eventId: scheduled.eventId, outcome: input.outcome },
      actor: input.actor,
    });
    await input.audit?.(tx, { id: order.id, merchantId: order.merchantId });
    return { order, eventId: scheduled.eventId, runAt: scheduled.runAt };
  });
}
