import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * TOTP (RFC 6238): HMAC-SHA1, 30-second steps, 6 digits, accepting one step either side of now for
 * clock drift. Replay: the caller keeps the last accepted step per user and passes it back, and a code
 * is accepted only for a step after it (so one code, or an older one, never works twice).
 */

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_WINDOW = 1;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new secret: 20 random bytes (160 bits, RFC 4226's recommendation), base32 without padding. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

export function base32Encode(data: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new TypeError('invalid base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The time step of a moment. */
export function totpStep(at: Date | number = Date.now()): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  return Math.floor(ms / 1000 / TOTP_STEP_SECONDS);
}

/** The code of one step (RFC 4226 HOTP with the step as counter). */
export function totpCodeAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** TOTP_DIGITS;
  return binary.toString().padStart(TOTP_DIGITS, '0');
}

/** The code for a moment (what an authenticator app shows). */
export function totpCode(secret: string, at: Date | number = Date.now()): string {
  return totpCodeAt(secret, totpStep(at));
}

/**
 * Checks `code` against the steps around `now`. Returns the matched step, or null when the code is
 * malformed, wrong, or only matches a step at or before `lastUsedStep` (replay).
 */
export function verifyTotp(secret: string, code: string, opts: { now?: Date | number; lastUsedStep?: number | null } = {}): number | null {
  const normalized = typeof code === 'string' ? code.replace(/\s/g, '') : '';
  if (!/^\d{6}$/.test(normalized)) return null;
  const current = totpStep(opts.now ?? Date.now());
  const given = Buffer.from(normalized);
  let matched: number | null = null;
  // Compare every candidate (no early exit), then apply the replay rule.
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    if (timingSafeEqual(Buffer.from(totpCodeAt(secret, step)), given) && matched === null) matched = step;
  }
  if (matched === null) return null;
  if (opts.lastUsedStep !== null && opts.lastUsedStep !== undefined && matched <= opts.lastUsedStep) return null;
  return matched;
}

/** The `otpauth://` URL authenticator apps read from the QR code. */
export function otpauthUrl(opts: { secret: string; issuer: string; account: string }): string {
  const label = `${encodeURIComponent(opts.issuer)}:${encodeURIComponent(opts.account)}`;
  const params = new URLSearchParams({
    secret: opts.secret,
    issuer: opts.issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
