/**
 * Identifiers, all from the CSPRNG. Uniqueness is enforced by the database's unique constraints:
 * callers that insert a generated id retry with a fresh one on a unique violation.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export type OrderNoPrefix = 'P' | 'W' | 'F';

export const MCH_ID_PATTERN = /^[1-9][0-9]{9}$/;
export const APP_ID_PATTERN = /^[0-9a-f]{32}$/;
export const PREPAY_ID_PATTERN = /^[0-9a-f]{64}$/;
export const ORDER_NO_PATTERN = /^[PWF][0-9]{8}[0-9]{12}$/;
export const REQUEST_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Merchant id: 10 digits, not starting with 0. */
export function newMchId(): string {
  return String(randomInt(1_000_000_000, 10_000_000_000));
}

/** Application id: 32 lower-case hex characters (128 bits). */
export function newAppId(): string {
  return randomBytes(16).toString('hex');
}

/** Prepay id: 64 lower-case hex characters (256 bits), as in the seed's long hex ids. */
export function newPrepayId(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Order number: prefix (P payin, W payout/withdrawal, F fund request) + UTC date `YYYYMMDD` + 12 random
 * digits, e.g. `P20261123048213379561`. Sorts by day; within a day the order is random. At a million
 * numbers per prefix and day a collision is likely somewhere, so insert with retry on conflict.
 */
export function newOrderNo(prefix: OrderNoPrefix, now: Date = new Date()): string {
  if (prefix !== 'P' && prefix !== 'W' && prefix !== 'F') throw new RangeError(`unknown order prefix ${prefix}`);
  if (Number.isNaN(now.getTime())) throw new RangeError('invalid date');
  return `${prefix}${utcDateDigits(now)}${String(randomInt(0, 1_000_000_000_000)).padStart(12, '0')}`;
}

/** Request id: a UUID v4. */
export function newRequestId(): string {
  return randomUUID();
}

function utcDateDigits(date: Date): string {
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${year}${month}${day}`;
}

/** A row id as Prisma's `@default(uuid(7))` makes it (UUID v7 with the timestamp `now`), for rows written with SQL or back-dated by the demo. */
export function newRowId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Math.floor(now), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
