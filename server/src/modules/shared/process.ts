import type { PrismaClient, Tx } from '../../db/prisma.ts';
import { publishAll, type EventBus, type PendingEvent } from '../../events/event-bus.ts';
import type { EventOf, Topic } from '../../events/topics.ts';
import type { ActorType } from '../../generated/prisma/enums.ts';

/**
 * The transition kernel: how every stateful thing (payin, payout, fund request) changes status.
 *
 * An operation runs in `inTransaction`, which hands it the transaction and its outbox. Inside, it
 * locks its row, applies its rules, posts to the ledger, calls its process's `transition` (the state
 * table check, the status write, the timeline row, the announcement into the outbox), and notifies the
 * merchant where the process has callbacks — each a visible step of the operation:
 *
 * ```ts
 * return inTransaction(services, async (tx, outbox) => {
 *   const payin = await lockPayin(tx, key);                         // lock
 *   await creditPayinFunds(tx, payin, credit);                      // ledger
 *   const paid = await transitionPayin(tx, outbox, payin, 'SUCCEEDED', { actor });  // transition
 *   await notifyPayinStatus(tx, paid);                              // merchant callback (a delivery row)
 * });
 * ```
 * The outbox is published only after the transaction commits (never on rollback); callbacks are
 * delivery rows written in the same transaction and sent by the delivery worker.
 */

/** Who made a change, for timelines and the audit log. */
export interface Actor {
  type: ActorType;
  id?: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'SYSTEM', id: null };

/** Events of one transaction, published once it commits. */
export class Outbox {
  readonly pending: PendingEvent[] = [];

  publish<T extends Topic>(topic: T, event: EventOf<T>): void {
    this.pending.push({ topic, event } as PendingEvent);
  }
}

/** Interactive transactions wait for a connection and for row locks (many concurrent creates queue on one key). */
export const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

export interface TxOptions {
  maxWait: number;
  timeout: number;
}

/** Runs `fn` in one transaction and publishes its outbox after commit (never before, never on rollback). */
export async function inTransaction<T>(
  services: { prisma: PrismaClient; events: EventBus },
  fn: (tx: Tx, outbox: Outbox) => Promise<T>,
  options: TxOptions = TX_OPTIONS,
): Promise<T> {
  const outbox = new Outbox();
  const result = await services.prisma.$transaction((tx) => fn(tx, outbox), options);
  publishAll(services.events, outbox.pending);
  return result;
}

/** What a process supplies to the kernel: its state table, how it writes, records and announces a change. */
export interface ProcessSpec<Row extends { status: S }, S extends string, Step> {
  /** Throws INVALID_TRANSITION (with the process's own message) unless the state table allows `from → to`. */
  assertTransition(from: S, to: S): void;
  /** Writes the new status together with the step's other columns; returns the reloaded row. */
  write(tx: Tx, row: Row, to: S, step: Step): Promise<Row>;
  /** The change's timeline (or audit) row. */
  record(tx: Tx, before: Row, after: Row, step: Step): Promise<void>;
  /** The event announcing the change after commit. */
  announce(row: Row): PendingEvent;
}

export type Transition<Row, S, Step> = (tx: Tx, outbox: Outbox, row: Row, to: S, step: Step) => Promise<Row>;

/** One status change of a locked row: state table, write, timeline, announcement. Returns the reloaded row. */
export function defineTransition<Row extends { status: S }, S extends string, Step>(spec: ProcessSpec<Row, S, Step>): Transition<Row, S, Step> {
  return async (tx, outbox, row, to, step) => {
    spec.assertTransition(row.status, to);
    const after = await spec.write(tx, row, to, step);
    await spec.record(tx, row, after, step);
    outbox.pending.push(spec.announce(after));
    return after;
  };
}
