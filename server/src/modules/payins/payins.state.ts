import type { OrderStatus } from '../../generated/prisma/enums.ts';
import { InvalidTransitionError } from './payins.errors.ts';

/** A payin's status (the database enum keeps its table's name, `OrderStatus`). */
export type PayinStatus = OrderStatus;

/**
 * The payin state machine as data (DESIGN.md "State machines").
 *
 *   PENDING ──► PROCESSING ──► SUCCEEDED ──► REVERSED
 *      │             ├──► FAILED
 *      │             ├──► EXPIRED
 *      │             └──► CLOSED
 *      ├──► SUCCEEDED   (direct payment: the money arrives before any payer submission)
 *      ├──► FAILED      (the upstream refuses the order before the payer acts; e.g. its create call fails)
 *      ├──► EXPIRED
 *      └──► CLOSED
 *
 * PENDING → FAILED is an addition to the brief's list: an upstream can reject an order before the
 * payer submits anything, and pretending it is still payable would be wrong.
 */
export const PAYIN_TRANSITIONS: Readonly<Record<PayinStatus, readonly PayinStatus[]>> = {
  PENDING: ['PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CLOSED'],
  PROCESSING: ['SUCCEEDED', 'FAILED', 'EXPIRED', 'CLOSED'],
  SUCCEEDED: ['REVERSED'],
  FAILED: [],
  EXPIRED: [],
  CLOSED: [],
  REVERSED: [],
};

/** Statuses in which the order still waits for money (what seed 000 calls "In Progress"). */
export const OPEN_PAYIN_STATUSES: readonly PayinStatus[] = ['PENDING', 'PROCESSING'];

export function isOpenPayin(status: PayinStatus): boolean {
  return status === 'PENDING' || status === 'PROCESSING';
}

export function isFinalPayin(status: PayinStatus): boolean {
  return PAYIN_TRANSITIONS[status].length === 0;
}

export function canTransition(from: PayinStatus, to: PayinStatus): boolean {
  return PAYIN_TRANSITIONS[from].includes(to);
}

/** Throws INVALID_TRANSITION (details { from, to }) unless the table allows from → to. */
export function assertTransition(from: PayinStatus, to: PayinStatus, reason?: string): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to, reason);
}
