import type { Prisma, PrismaClient, Tx } from '../../db/prisma.ts';
import { MoneyParseError, parseAmount, parseRatePercent } from '../../lib/money.ts';
import { recordAudit, type AuditActor, type AuditEntry } from '../audit/audit.service.ts';
import { InvalidAmountError, InvalidParameterError, isUniqueViolation } from './config.errors.ts';

/**
 * Input checks shared by the configuration services. Every check names the input field it refuses, so
 * the admin SPA can put the message next to it. Conventions of the update inputs: `undefined` = leave
 * unchanged; `null` on a clearable field = clear it (a bound or limit: 0, "no limit"). Money arrives as
 * decimal strings and becomes minor units of the entity's currency here, exactly (lib/money.ts).
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
const COUNTRY = /^[A-Z]{2}$/;
const CURRENCY = /^[A-Z0-9]{2,10}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function requiredText(value: unknown, field: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw new InvalidParameterError(field, 'must not be empty');
  if (text.length > max) throw new InvalidParameterError(field, `at most ${max} characters`, { max });
  if (CONTROL.test(text)) throw new InvalidParameterError(field, 'must not contain control characters');
  return text;
}

/** undefined → undefined (unchanged); null or blank → null (cleared); else a checked text. */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  return requiredText(value, field, max);
}

/** A stable code such as THB_BANK or SBX_THB_KRUNG: upper-case letter first, then A–Z, 0–9, _ (2–64). */
export function codeOf(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!CODE.test(text)) throw new InvalidParameterError(field, 'must be 2 to 64 characters A-Z, 0-9 or _, starting with a letter');
  return text;
}

/** A currency code as written in the currencies table (format only; existence is the caller's query). */
export function currencyCodeOf(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!CURRENCY.test(text)) throw new InvalidParameterError(field, 'must be a currency code such as THB or USDT');
  return text;
}

/** ISO 3166-1 alpha-2, upper-cased; null/blank clears. */
export function countryOf(value: string | null | undefined, field = 'country'): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const text = value.trim().toUpperCase();
  if (!COUNTRY.test(text)) throw new InvalidParameterError(field, 'must be a two-letter country code (ISO 3166-1)');
  return text;
}

/** An IANA time zone the runtime knows (daily statements are cut at its midnight). */
export function timezoneOf(value: unknown, field = 'timezone'): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '' || text.length > 64) throw new InvalidParameterError(field, 'must be an IANA time zone such as Asia/Bangkok');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: text });
  } catch {
    throw new InvalidParameterError(field, 'must be an IANA time zone such as Asia/Bangkok');
  }
  return text;
}

export function emailOf(value: string | null | undefined, field = 'contactEmail'): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const text = value.trim();
  if (text.length > 320 || !EMAIL.test(text) || CONTROL.test(text)) throw new InvalidParameterError(field, 'must be an email address');
  return text;
}

export function intInRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidParameterError(field, `must be an integer from ${min} to ${max}`, { min, max });
  }
  return value;
}

/** An optional integer: undefined/null → undefined (unchanged or default). */
export function optionalInt(value: number | null | undefined, field: string, min: number, max: number): number | undefined {
  return value === undefined || value === null ? undefined : intInRange(value, field, min, max);
}

/** A non-negative amount in minor units of a currency with `digits`; INVALID_AMOUNT names the field. */
export function amountOf(value: string, digits: number, field: string): bigint {
  try {
    return parseAmount(value, digits);
  } catch (error) {
    if (error instanceof MoneyParseError) throw new InvalidAmountError(field, error.message, { reason: error.reason, ...(error.reason === 'TOO_MANY_DIGITS' ? { digits } : {}) });
    throw error;
  }
}

/** A limit bound: undefined → unchanged; null, "" or "0" → 0n (no limit on that side, seed 001). */
export function boundOf(value: string | null | undefined, digits: number, field: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return 0n;
  return amountOf(value.trim(), digits, field);
}

/** Lower and upper of one source must leave a range (0 = no limit on that side). */
export function assertBounds(lower: bigint, upper: bigint, upperField: string): void {
  if (upper !== 0n && upper < lower) throw new InvalidParameterError(upperField, 'the upper bound must not be below the lower bound (0 = no limit)');
}

/** A fee rate in percent ("2.5" = 2.5 %, at most 4 decimals, 0..100) as parts per million. */
export function ratePpmOf(value: string, field: string): bigint {
  try {
    return parseRatePercent(value.trim());
  } catch (error) {
    if (error instanceof MoneyParseError) throw new InvalidParameterError(field, `must be a percentage from 0 to 100 with at most 4 decimals (${error.message})`, { reason: error.reason });
    throw error;
  }
}

const JSON_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const MAX_JSON_BYTES = 8192;
const SECRET_KEY_NAME = /(secret|password|passwd|private|token|api[_-]?key|credential|signing[_-]?key)/i;

function jsonObjectOf(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidParameterError(field, 'must be a JSON object');
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length > 32) throw new InvalidParameterError(field, 'at most 32 keys');
  for (const key of keys) {
    if (!JSON_KEY.test(key)) throw new InvalidParameterError(field, 'keys must be 1 to 64 characters A-Z, a-z, 0-9, _ . - starting with a letter');
  }
  if (Buffer.byteLength(JSON.stringify(object), 'utf8') > MAX_JSON_BYTES) throw new InvalidParameterError(field, `at most ${MAX_JSON_BYTES} bytes of JSON`);
  return object;
}

/**
 * Connector credentials: a non-empty JSON object of strings, numbers or booleans (API keys, merchant
 * numbers, secrets). Messages name keys at most, never values.
 */
export function credentialsOf(value: unknown, field = 'credentials'): Record<string, string | number | boolean> {
  const object = jsonObjectOf(value, field);
  if (Object.keys(object).length === 0) throw new InvalidParameterError(field, 'must have at least one key (use clearCredentials to remove them)');
  for (const [key, v] of Object.entries(object)) {
    const ok = (typeof v === 'string' && v.length > 0) || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    if (!ok) throw new InvalidParameterError(field, `value of "${key}" must be a non-empty string, a number or a boolean`, { key });
  }
  return object as Record<string, string | number | boolean>;
}

/**
 * Non-secret connector settings (readable by every staff member and kept in the audit log): a JSON
 * object whose keys do not look like secrets, which belong in the write-only credentials.
 */
export function settingsOf(value: unknown, field = 'settings'): Record<string, unknown> {
  const object = jsonObjectOf(value, field);
  for (const key of Object.keys(object)) {
    if (SECRET_KEY_NAME.test(key)) throw new InvalidParameterError(field, `"${key}" looks like a secret: put it in credentials (write-only), not in settings`, { key });
  }
  return object;
}

/** Runs a change and its audit row in one transaction: both commit or neither. */
export async function auditedTransaction<T>(
  prisma: PrismaClient,
  actor: AuditActor,
  change: (tx: Tx) => Promise<{ result: T; audit: AuditEntry }>,
): Promise<T> {
  return prisma.$transaction(async (tx) => {
    const { result, audit } = await change(tx);
    await recordAudit(tx, actor, audit);
    return result;
  });
}

/** Runs a write; a unique violation becomes the given domain error (the transaction then rolls back). */
export async function unique<T>(write: () => Promise<T>, onDuplicate: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw onDuplicate();
    throw error;
  }
}

/** Bigints as strings so a snapshot is JSON (audit before/after). */
export function jsonSafe<T extends Record<string, unknown>>(row: T): Prisma.InputJsonObject {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = typeof value === 'bigint' ? value.toString() : value instanceof Date ? value.toISOString() : value;
  }
  return out as Prisma.InputJsonObject;
}
