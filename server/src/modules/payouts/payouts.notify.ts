import type { Tx } from '../../db/prisma.ts';
import { enqueueCallback } from '../deliveries/deliveries.service.ts';
import { presentPayout, type LoadedPayout } from './payouts.transition.ts';

/**
 * The merchant's `payout.status_changed` callback for the payout's current status and sequence: a
 * delivery row in the operation's transaction (the payout's notify URL, else its app's). Marks the
 * loaded payout's postback PENDING when one was recorded.
 */
export async function notifyPayoutStatus(tx: Tx, payout: LoadedPayout): Promise<void> {
  const delivery = await enqueueCallback(tx, {
    merchantId: payout.merchantId,
    appDbId: payout.appId,
    subject: { payoutId: payout.id },
    eventType: 'payout.status_changed',
    sequence: payout.sequence,
    url: payout.notifyUrl ?? payout.app?.payoutNotifyUrl ?? null,
    data: { ...(await presentPayout(tx, payout)) },
  });
  if (delivery) payout.postbackStatus = 'PENDING';
}
