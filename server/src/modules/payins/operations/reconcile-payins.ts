import type { Channel } from '../../../generated/prisma/client.ts';
import { currencyDigits } from '../../catalog/catalog.service.ts';
import type { PayinRequest } from '../../routing/connectors/connector.ts';
import { getConnector, hasConnector } from '../../routing/connectors/registry.ts';
import type { PayinsServices } from '../payins.context.ts';
import { findPayin, recordPayinEvent, type LoadedPayin } from '../payins.transition.ts';
import { applyUpstreamPaymentInTx } from './apply-upstream-payment.ts';
import { inTransaction } from '../../shared/process.ts';

/**
 * The payin half of the stuck-state janitor (cron, every minute): a payin PROCESSING (the payer
 * submitted) for longer than PAYIN_RECONCILE_AFTER_SECONDS, not expired yet and not queried within that
 * window, is looked up at its upstream (`queryPayin`); payments the upstream reports are applied exactly
 * as if its callback had arrived (idempotent per txn id), a failure or reversal likewise. An upstream
 * that still waits changes nothing (a note in the timeline). Orders past expireAt are left to the
 * expiry job.
 */
export async function reconcilePayins(services: PayinsServices, opts: { now?: Date; limit?: number } = {}): Promise<{ queried: number; resolved: number; errors: number }> {
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - services.config.PAYIN_RECONCILE_AFTER_SECONDS * 1000);
  const stuck = await services.prisma.$queryRaw<{ id: string }[]>`
    SELECT o.id FROM orders o
    WHERE o.status = 'PROCESSING' AND o."updatedAt" <= ${cutoff} AND o."expireAt" > ${now}
      AND NOT EXISTS (
        SELECT 1 FROM order_events e
        WHERE e."orderId" = o.id AND e.type = 'UPSTREAM_QUERIED' AND e."createdAt" > ${cutoff})
    ORDER BY o."updatedAt"
    LIMIT ${opts.limit ?? 100}`;
  const summary = { queried: 0, resolved: 0, errors: 0 };
  for (const { id } of stuck) {
    try {
      const applied = await reconcilePayin(services, id);
      summary.queried++;
      if (applied) summary.resolved++;
    } catch (error) {
      summary.errors++;
      services.log.warn({ err: error, orderId: id }, 'payin reconciliation failed; retried next round');
    }
  }
  return summary;
}

/** Queries one payin's upstream and applies the answer; true when the order changed. */
export async function reconcilePayin(services: PayinsServices, orderId: string): Promise<boolean> {
  const order = await findPayin(services.prisma, { id: orderId });
  if (!order || order.status !== 'PROCESSING' || !order.channelId) return false;
  const channel = await services.prisma.channel.findUniqueOrThrow({ where: { id: order.channelId } });
  if (!hasConnector(channel.connector)) return false;
  const state = await getConnector(channel.connector).queryPayin(
    { db: services.prisma, secrets: services.secrets, config: services.config },
    await payinRequestOf(services, order),
    channel as Channel,
  );
  return inTransaction(services, async (tx, outbox) => {
    await recordPayinEvent(tx, orderId, {
      type: 'UPSTREAM_QUERIED',
      message: `asked the upstream: ${state.status}${state.payments.length ? `, ${state.payments.length} payment(s)` : ''}`,
      data: { status: state.status, payments: state.payments.length },
      actor: { type: 'SYSTEM' },
    });
    if (state.status === 'PENDING' && state.payments.length === 0) return false;
    const result = await applyUpstreamPaymentInTx(tx, outbox, {
      channelId: channel.id,
      channelCode: channel.code,
      orderRef: order.orderNo,
      status: state.status === 'PENDING' ? 'PAID' : state.status,
      payments: state.payments,
      eventKey: `query:${orderId}:${now()}`,
      reason: 'reported by an upstream status query',
    });
    return result.outcome === 'APPLIED';
  });
}

const now = () => new Date().toISOString();

async function payinRequestOf(services: PayinsServices, order: LoadedPayin): Promise<PayinRequest & { upstreamRef: string | null }> {
  return {
    orderNo: order.orderNo,
    prepayId: order.prepayId,
    amount: order.amount,
    currency: order.currencyCode,
    digits: await currencyDigits(services.prisma, order.currencyCode),
    chain: order.chain,
    serviceCode: order.service.code,
    serviceKind: order.service.kind,
    orderType: order.orderType,
    toAddress: order.toAddress,
    expireAt: order.expireAt,
    test: order.test,
    payer: {
      name: order.payerName,
      account: order.payerAccount,
      bankCode: order.bankCode,
      phone: order.payerPhone,
      idNumber: order.payerIdNumber,
      remarkCode: order.remarkCode,
    },
    upstreamRef: order.upstreamRef,
  };
}
