import type { Tx } from '../../db/prisma.ts';
import { enqueueCallback } from '../deliveries/deliveries.service.ts';
import { presentPayin, type LoadedPayin } from './payins.transition.ts';

/**
 * The merchant's `payin.status_changed` callback for the payin's current status and sequence: a
 * delivery row in the operation's transaction (sent by the delivery worker after commit). Without a
 * notify URL nothing is recorded. Marks the loaded payin's postback PENDING when one was recorded.
 */
export async function notifyPayinStatus(tx: Tx, payin: LoadedPayin): Promise<void> {
  const delivery = await enqueueCallback(tx, {
    merchantId: payin.merchantId,
    appDbId: payin.appId,
    subject: { orderId: payin.id },
    eventType: 'payin.status_changed',
    sequence: payin.sequence,
    url: payin.notifyUrl,
    data: { ...(await presentPayin(tx, payin)) },
  });
  if (delivery) payin.postbackStatus = 'PENDING';
}
