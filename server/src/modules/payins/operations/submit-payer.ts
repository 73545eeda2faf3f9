import type { Prisma } from '../../../db/prisma.ts';
import { isDomainError } from '../../../lib/errors.ts';
import { simulatorOf } from '../../routing/connectors/registry.ts';
import { evaluateRisk } from '../../risk/risk.service.ts';
import type { PayinsServices } from '../payins.context.ts';
import { InvalidParameterError, InvalidTransitionError, PayinNotFoundError } from '../payins.errors.ts';
import { missingPayerFields, parsePayerFields, type PayerField } from '../payins.params.ts';
import type { PayinObject } from '../payins.presenter.ts';
import { lockPayin, presentPayin, recordPayinEvent, transitionPayin, type LoadedPayin } from '../payins.transition.ts';
import { type Actor, inTransaction } from '../../shared/process.ts';
import { notifyPayinStatus } from '../payins.notify.ts';

/**
 * The cashier's "I have paid" (payer submission): PENDING → PROCESSING, filling payer fields the order
 * does not have yet (given ones are never overwritten). The service's required payer fields must be
 * present afterwards. On a sandbox channel the simulated upstream then answers: a signed callback is
 * scheduled (job `sandbox:deliver`) after the channel's delay, succeeding per its success rate.
 * An order past its expiry time is refused (the expiry task will close it within a minute). A payer
 * account given here goes through the payin BLOCKED_ACCOUNT risk rules: REJECT refuses the submission
 * (RISK_REJECTED; the order stays PENDING and nothing is written), REVIEW flags the order's timeline.
 */

export interface SubmitPayerInput {
  prepayId: string;
  /** payer_name, payer_account, bank_code, payer_phone, payer_id_number, remark_code (strings). */
  payer?: Record<string, unknown>;
  /** Default: the anonymous payer (SYSTEM with id "cashier"). */
  actor?: Actor;
  /** Tests: deterministic sandbox outcome. */
  random?: () => number;
}

const COLUMN: Record<PayerField, keyof LoadedPayin & string> = {
  payer_name: 'payerName',
  payer_account: 'payerAccount',
  bank_code: 'bankCode',
  payer_phone: 'payerPhone',
  payer_id_number: 'payerIdNumber',
  remark_code: 'remarkCode',
};

export interface SubmitPayerResult {
  order: LoadedPayin;
  object: PayinObject;
  /** The sandbox simulation scheduled for this order, when its channel is a sandbox. */
  simulation: { outcome: string; runAt: Date } | null;
}

export async function submitPayer(services: PayinsServices, input: SubmitPayerInput): Promise<SubmitPayerResult> {
  const given = parsePayerFields(input.payer ?? {});
  const actor = input.actor ?? { type: 'SYSTEM', id: 'cashier' };
  return inTransaction(services, async (tx, outbox) => {
    const order = await lockPayin(tx, { prepayId: input.prepayId });
    if (!order) throw new PayinNotFoundError();
    if (order.status !== 'PENDING') throw new InvalidTransitionError(order.status, 'PROCESSING', `the payin is ${order.status}, not awaiting payment`);
    if (order.expireAt.getTime() <= Date.now()) throw new InvalidTransitionError(order.status, 'PROCESSING', 'the payin has expired');

    const patch: Prisma.OrderUncheckedUpdateInput = {};
    const merged: Partial<Record<PayerField, string | null>> = {};
    const filled: string[] = [];
    for (const [field, column] of Object.entries(COLUMN) as [PayerField, string][]) {
      const current = (order as unknown as Record<string, string | null>)[column] ?? null;
      const value = current ?? given[field] ?? null;
      merged[field] = value;
      if (current === null && given[field] !== undefined) {
        (patch as Record<string, unknown>)[column] = given[field];
        filled.push(field);
      }
    }
    const missing = missingPayerFields(order.service.requiredFields, merged);
    if (missing.length > 0) throw new InvalidParameterError(missing[0]!, `required by service ${order.service.code}`);
    if (filled.includes('payer_account')) {
      const risk = await evaluateRisk(
        tx,
        { direction: 'PAYIN', merchantId: order.merchantId, currency: order.currencyCode, amount: order.amount, account: merged.payer_account ?? null },
        new Date(),
        { kinds: ['BLOCKED_ACCOUNT'] },
      );
      if (risk.matched.length > 0) {
        await recordPayinEvent(tx, order.id, {
          type: 'RISK_FLAGGED',
          message: `payer account flagged for review by ${risk.matched.map((r) => `"${r.name}"`).join(', ')}`,
          data: { rules: risk.matched },
          actor: { type: 'SYSTEM' },
        });
      }
    }

    const processing = await transitionPayin(tx, outbox, order, 'PROCESSING', {
      type: 'PAYER_SUBMITTED',
      message: 'the payer reported the payment',
      data: { filled },
      actor,
      patch,
    });
    await notifyPayinStatus(tx, processing);

    let simulation: SubmitPayerResult['simulation'] = null;
    const channel = processing.channelId ? await tx.channel.findUnique({ where: { id: processing.channelId } }) : null;
    const simulator = channel ? simulatorOf(channel.connector) : undefined;
    if (channel && simulator) {
      try {
        const scheduled = await simulator.payin(
          { db: tx, secrets: services.secrets },
          { ...processing, currency: processing.currencyCode },
          channel,
          input.random ? { random: input.random } : {},
        );
        simulation = { outcome: scheduled.outcome, runAt: scheduled.runAt };
        await recordPayinEvent(tx, order.id, {
          type: 'SANDBOX_SCHEDULED',
          message: `sandbox upstream will call back (${scheduled.outcome}) at ${scheduled.runAt.toISOString()}`,
          data: { eventId: scheduled.eventId, outcome: scheduled.outcome },
          actor: { type: 'SYSTEM' },
        });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        await recordPayinEvent(tx, order.id, { type: 'SANDBOX_UNAVAILABLE', message: error.message, actor: { type: 'SYSTEM' } });
      }
    }
    return { order: processing, object: await presentPayin(tx, processing), simulation };
  });
}
