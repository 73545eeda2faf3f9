import type { Db, PrismaClient, Tx } from '../../db/prisma.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { publishAll, type EventBus, type PendingEvent } from '../../events/event-bus.ts';
import type { EventOf, StatusChanged, Topic } from '../../events/topics.ts';
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

/**
 * For a change written by ONE statement, atomic by itself (e.g. a CTE inserting a row and its timeline):
 * no interactive transaction, which would cost BEGIN and COMMIT round trips and hold a connection
 * between them, and the outbox published after the statement. `fn` may read before or after, but must
 * write with a single statement; a change of more than one statement belongs in `inTransaction`.
 */
export async function inStatement<T>(services: { prisma: PrismaClient; events: EventBus }, fn: (db: Db, outbox: Outbox) => Promise<T>): Promise<T> {
  const outbox = new Outbox();
  const result = await fn(services.prisma, outbox);
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

/** The tables whose rows a process locks. */
export type ProcessTable = 'orders' | 'payouts' | 'fund_requests';

const UUID_COLUMNS = new Set(['id', 'merchantId']);

/**
 * Locks the row matching `key` (its column names and values, e.g. `{ merchantId, outTradeNo }`) with
 * SELECT … FOR UPDATE in the caller's transaction; its id, or null when there is none.
 */
export async function lockRowId(tx: Tx, table: ProcessTable, key: Readonly<Record<string, string>>): Promise<string | null> {
  const conditions = Object.entries(key).map(([column, value]) =>
    UUID_COLUMNS.has(column) ? Prisma.sql`${Prisma.raw(`"${column}"`)} = ${value}::uuid` : Prisma.sql`${Prisma.raw(`"${column}"`)} = ${value}`,
  );
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM ${Prisma.raw(table)} WHERE ${Prisma.join(conditions, ' AND ')} FOR UPDATE`;
  return rows[0]?.id ?? null;
}

/** A timeline row of a payin or payout: what happened, who did it, and the status change if it is one. */
export interface TimelineEntry<S extends string> {
  type: string;
  message?: string | null;
  data?: Prisma.InputJsonValue | null;
  actor: Actor;
  fromStatus?: S | null;
  toStatus?: S | null;
}

/** The columns every timeline table (order_events, payout_events) has. */
export function timelineColumns<S extends string>(entry: TimelineEntry<S>) {
  return {
    type: entry.type,
    fromStatus: entry.fromStatus ?? null,
    toStatus: entry.toStatus ?? null,
    message: entry.message ?? null,
    ...(entry.data != null ? { data: entry.data } : {}),
    actorType: entry.actor.type,
    actorId: entry.actor.id ?? null,
  };
}

/** A status change of a process with a timeline: its event type (default `STATUS_<TO>`), note, actor and other columns. */
export interface TimelineStep<Patch> {
  type?: string;
  message?: string | null;
  data?: Prisma.InputJsonValue | null;
  actor: Actor;
  /** Other columns changed together with the status (paidAt, fee, failure reason …). */
  patch?: Patch;
}

type SequencedRow<S extends string> = { id: string; merchantId: string; status: S; sequence: number };

/** The announcement of a payin's or payout's status change. */
export function statusChanged(row: SequencedRow<string>): StatusChanged {
  return { id: row.id, merchantId: row.merchantId, status: row.status, sequence: row.sequence };
}

/**
 * The transition of a process whose rows carry a `sequence` (what the merchant's callbacks are ordered
 * by) and a timeline table: payins and payouts. Each supplies its state table, its update and its
 * timeline insert; the kernel bumps the sequence, writes the timeline row of the change and announces it.
 */
export function defineTimelineTransition<Row extends SequencedRow<S>, S extends string, Patch>(process: {
  assertTransition(from: S, to: S): void;
  update(tx: Tx, id: string, data: { status: S; sequence: { increment: 1 } } & Patch): Promise<Row>;
  timeline(tx: Tx, id: string, entry: TimelineEntry<S>): Promise<unknown>;
  topic: 'payin:changed' | 'payout:changed';
}): Transition<Row, S, TimelineStep<Patch>> {
  return defineTransition<Row, S, TimelineStep<Patch>>({
    assertTransition: process.assertTransition,
    write: (tx, row, to, step) => process.update(tx, row.id, { ...(step.patch as Patch), status: to, sequence: { increment: 1 } }),
    record: async (tx, before, after, step) => {
      await process.timeline(tx, after.id, {
        type: step.type ?? `STATUS_${after.status}`,
        message: step.message ?? null,
        data: step.data ?? null,
        actor: step.actor,
        fromStatus: before.status,
        toStatus: after.status,
      });
    },
    announce: (row) => ({ topic: process.topic, event: statusChanged(row) }),
  });
}
