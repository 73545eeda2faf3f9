import type { Prisma } from '../../../generated/prisma/client.ts';
import type { ActorType, PostbackStatus } from '../../../generated/prisma/enums.ts';
import type { SeedContext } from '../demo-context.ts';

/** A timeline row of a planned order or payout (a status change when `to` is set). */
export interface TimelineEvent<S> {
  type: string;
  from: S | null;
  to: S | null;
  at: number;
  actorType: ActorType;
  actorId?: string | undefined;
  message?: string;
  data?: Prisma.InputJsonValue;
}

/** The callback that told the merchant about the last status: acknowledged, or failed after retries. */
export function callbackEvent<S>(ctx: SeedContext, events: TimelineEvent<S>[], after: number, status: PostbackStatus | null, url: string, sequence: number): void {
  const at = Math.min(after + ctx.rng.int(200, 3000), ctx.now);
  if (status === 'ERROR') {
    events.push({ type: 'CALLBACK_FAILED', from: null, to: null, at, actorType: 'SYSTEM', message: 'callback failed: connect ECONNREFUSED', data: { url, sequence, attempts: ctx.rng.int(3, 8) } });
  } else {
    events.push({ type: 'CALLBACK_SENT', from: null, to: null, at, actorType: 'SYSTEM', message: 'callback acknowledged', data: { url, sequence, statusCode: 200 } });
  }
}
