import type { Db, Tx } from '../../db/prisma.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { PAYIN_INCLUDE, presentPayin } from '../payins/payins.transition.ts';
import { PAYOUT_INCLUDE, presentPayout } from '../payouts/payouts.transition.ts';
import { NoNotifyUrlError } from './deliveries.errors.ts';
import {
  deliverySubjectKey,
  enqueueCallback,
  enqueueFlush,
  lockSubject,
  requeueDelivery,
  setPostbackStatus,
  subjectColumns,
  type DeliveryActor,
  type SubjectRef,
} from './deliveries.service.ts';

/**
 * Order- and payout-level "Resend notification" (seed 000/002 "postback resend"): the merchant gets
 * the callback of the subject's current status again, now.
 *
 * - The subject's latest callback is of its current status (same sequence): it is queued again
 *   (requeueDelivery: a SENT or FAILED one becomes PENDING, one waiting for a retry is made due now,
 *   after the subject's earlier callbacks).
 * - There is none (no callback was ever recorded, e.g. rows imported with a postback status only, or
 *   the notify URL was added later): a fresh delivery of the current status is recorded with the
 *   subject's current sequence, exactly as a status change would have recorded it.
 *
 * One transaction with the subject row locked (the lock status changes take), audited as
 * `order.resend_notification` / `payout.resend_notification`. Throws NO_NOTIFY_URL when a fresh
 * callback is needed but there is nowhere to send it.
 */
export interface ResentNotification {
  deliveryId: string;
  /** A new delivery was recorded (none of the current status existed). */
  created: boolean;
}

export async function resendLatestNotification(
  db: Db,
  subject: { kind: 'order' | 'payout'; id: string },
  actor: DeliveryActor,
): Promise<ResentNotification> {
  const run = async (tx: Tx): Promise<ResentNotification> => {
    const ref: SubjectRef = subject;
    await lockSubject(tx, ref);
    const now = new Date();
    const loaded =
      subject.kind === 'order'
        ? await tx.order.findUniqueOrThrow({ where: { id: subject.id }, include: PAYIN_INCLUDE })
        : await tx.payout.findUniqueOrThrow({ where: { id: subject.id }, include: PAYOUT_INCLUDE });
    const latest = await tx.delivery.findFirst({
      where: subjectColumns(ref),
      orderBy: [{ sequence: 'desc' }, { createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, status: true, orderId: true, payoutId: true, fundRequestId: true, sequence: true, createdAt: true, attemptCount: true },
    });
    let result: ResentNotification;
    if (latest && latest.sequence === loaded.sequence && (await requeueDelivery(tx, latest, now))) {
      await setPostbackStatus(tx, ref, 'PENDING');
      await enqueueFlush(tx, { subjectKey: deliverySubjectKey(ref), appDbId: loaded.appId });
      result = { deliveryId: latest.id, created: false };
    } else {
      const created =
        subject.kind === 'order'
          ? await enqueueCallback(tx, {
              merchantId: loaded.merchantId,
              appDbId: loaded.appId,
              subject: { orderId: loaded.id },
              eventType: 'payin.status_changed',
              sequence: loaded.sequence,
              url: loaded.notifyUrl,
              data: { ...(await presentPayin(tx, loaded as Parameters<typeof presentPayin>[1])) },
            })
          : await enqueueCallback(tx, {
              merchantId: loaded.merchantId,
              appDbId: loaded.appId,
              subject: { payoutId: loaded.id },
              eventType: 'payout.status_changed',
              sequence: loaded.sequence,
              url: loaded.notifyUrl ?? (loaded as Parameters<typeof presentPayout>[1]).app?.payoutNotifyUrl ?? null,
              data: { ...(await presentPayout(tx, loaded as Parameters<typeof presentPayout>[1])) },
            });
      if (!created) throw new NoNotifyUrlError(subject.kind, subject.id);
      result = { deliveryId: created.deliveryId, created: true };
    }
    await recordAudit(tx, actor, {
      action: `${subject.kind}.resend_notification`,
      merchantId: loaded.merchantId,
      entityType: subject.kind === 'order' ? 'Order' : 'Payout',
      entityId: subject.id,
      before: { postbackStatus: loaded.postbackStatus, deliveryStatus: latest?.sequence === loaded.sequence ? latest.status : null },
      after: { postbackStatus: 'PENDING', deliveryId: result.deliveryId, created: result.created },
    });
    return result;
  };
  return '$transaction' in db ? db.$transaction(run) : run(db);
}
