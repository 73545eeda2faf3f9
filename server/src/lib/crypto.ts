/**
 * Cryptography for the merchant REST API and for secrets at rest.
 *
 * - RSA key pairs and key serials (the `serial` of the Authorization header and `Payrail-Serial`).
 * - Request signing per REST-CONTRACT "Signing requests": RSASSA-PKCS1-v1_5 with SHA-256 over the
 *   canonical request, carried in `Authorization: PAYRAIL-SHA256-RSA2048 …`.
 * - Response/callback signing over `<timestamp>\n<nonce>\n<raw body>\n`.
 * - A secret box (AES-256-GCM) for private keys and channel credentials stored in the database.
 *
 * Functions taking a key accept a PEM string or a parsed `KeyObject`; hot paths should cache the
 * KeyObject (parsing a PEM costs more than verifying a signature).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { DomainError } from './errors.ts';

export const AUTH_SCHEME = 'PAYRAIL-SHA256-RSA2048';
export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 8192;

export interface RsaKeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
}

// ---------------------------------------------------------------------------------------------------
// Keys

/** Generates an RSA key pair as PEM (public: SPKI, private: PKCS#8). Blocks the event loop briefly. */
export function generateRsaKeyPair(bits = MIN_RSA_BITS): RsaKeyPair {
  assertKeyBits(bits);
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** Same as generateRsaKeyPair, off the event loop (use it in request handlers). */
export function generateRsaKeyPairAsync(bits = MIN_RSA_BITS): Promise<RsaKeyPair> {
  assertKeyBits(bits);
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: bits,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      },
      (error, publicKey, privateKey) => {
        if (error) reject(error);
        else resolve({ publicKeyPem: publicKey, privateKeyPem: privateKey });
      },
    );
  });
}

/**
 * Stable key id: the first 32 hex characters (upper case) of SHA-256 over the DER (SPKI) of the public
 * key, so the same key in PKCS#1 or SPKI PEM gets the same serial. Throws INVALID_PUBLIC_KEY.
 */
export function keySerial(publicKey: string | KeyObject): string {
  const der = toPublicKey(publicKey).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 32).toUpperCase();
}

/**
 * Checks that `pem` is an RSA public key (PEM "PUBLIC KEY" or "RSA PUBLIC KEY") of 2048..8192 bits and
 * returns it parsed. Private keys and certificates are refused, so a merchant pasting the wrong file
 * never gets their private key stored. Throws DomainError INVALID_PUBLIC_KEY.
 */
export function assertRsaPublicKey(pem: string): KeyObject {
  if (typeof pem !== 'string' || !/^-----BEGIN (RSA )?PUBLIC KEY-----\r?\n/.test(pem.trim() + '\n')) {
    throw invalidPublicKey('not a PEM public key (expected "-----BEGIN PUBLIC KEY-----")');
  }
  if ((pem.match(/-----BEGIN /g) ?? []).length !== 1) {
    throw invalidPublicKey('expected exactly one PEM block');
  }
  const key = toPublicKey(pem);
  if (key.asymmetricKeyType !== 'rsa') {
    throw invalidPublicKey(`not an RSA key (${key.asymmetricKeyType ?? 'unknown type'})`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    throw invalidPublicKey(`RSA key must have ${MIN_RSA_BITS}..${MAX_RSA_BITS} bits, got ${bits}`, { bits });
  }
  return key;
}

// ---------------------------------------------------------------------------------------------------
// Request signing (merchant → platform)

export interface RequestParts {
  method: string;
  /** Request path with query string exactly as sent, e.g. `/v1/transaction/prepayment`. */
  pathWithQuery: string;
  /** Unix seconds, as in the header. */
  timestamp: string | number;
  nonce: string;
  /** Raw request body exactly as sent; ignored (empty) for GET and HEAD. */
  body?: string;
}

/** The message a request signature covers: five lines, each ending with `\n`. */
export function canonicalRequest(parts: RequestParts): string {
  const method = parts.method.toUpperCase();
  const timestamp = String(parts.timestamp);
  assertSingleLine({ method, pathWithQuery: parts.pathWithQuery, timestamp, nonce: parts.nonce });
  const body = method === 'GET' || method === 'HEAD' ? '' : (parts.body ?? '');
  return `${method}\n${parts.pathWithQuery}\n${timestamp}\n${parts.nonce}\n${body}\n`;
}

/** Signs a request with the merchant's private key; returns the base64 signature. */
export function signRequest(privateKey: string | KeyObject, parts: RequestParts): string {
  return signMessage(privateKey, canonicalRequest(parts));
}

/** Verifies a request signature. Never throws: malformed input gives false. */
export function verifyRequest(publicKey: string | KeyObject, parts: RequestParts, signatureB64: string): boolean {
  let message: string;
  try {
    message = canonicalRequest(parts);
  } catch {
    return false;
  }
  return verifySignature(publicKey, message, signatureB64);
}

/** RSASSA-PKCS1-v1_5 SHA-256 signature of `message`, base64. */
export function signMessage(privateKey: string | KeyObject, message: string | Buffer): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  if (key.asymmetricKeyType !== 'rsa') throw new TypeError('signing needs an RSA private key');
  return sign('sha256', toBuffer(message), key).toString('base64');
}

/**
 * Verifies an RSASSA-PKCS1-v1_5 SHA-256 signature (base64) over `message`. Never throws: a bad key,
 * a non-RSA key, malformed base64 or a wrong signature all give false.
 */
export function verifySignature(publicKey: string | KeyObject, message: string | Buffer, signatureB64: string): boolean {
  try {
    if (typeof signatureB64 !== 'string' || !isBase64(signatureB64)) return false;
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    if (key.asymmetricKeyType !== 'rsa') return false;
    return verify('sha256', toBuffer(message), key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Authorization header

export interface AuthorizationParts {
  timestamp: string;
  nonce: string;
  serial: string;
  signature: string;
}

const TIMESTAMP = /^[0-9]{1,15}$/;
const NONCE = /^[A-Za-z0-9]{16,64}$/;
const AUTHORIZATION = new RegExp(
  `^${AUTH_SCHEME} timestamp="([0-9]{1,15})",nonce="([A-Za-z0-9]{16,64})",serial="([A-Za-z0-9_-]{1,64})",signature="([A-Za-z0-9+/]{4,2048}={0,2})"$`,
);

/** True when `nonce` is 16..64 characters of [A-Za-z0-9]. */
export function isValidNonce(nonce: string): boolean {
  return NONCE.test(nonce);
}

/** Builds `PAYRAIL-SHA256-RSA2048 timestamp="…",nonce="…",serial="…",signature="…"`. */
export function buildAuthorizationHeader(parts: {
  timestamp: string | number;
  nonce: string;
  serial: string;
  signature: string;
}): string {
  return `${AUTH_SCHEME} timestamp="${parts.timestamp}",nonce="${parts.nonce}",serial="${parts.serial}",signature="${parts.signature}"`;
}

/** Parses the Authorization header in its exact format; anything else (spacing, order, charset) → null. */
export function parseAuthorizationHeader(header: string | null | undefined): AuthorizationParts | null {
  if (typeof header !== 'string' || header.length > 4096) return null;
  const match = AUTHORIZATION.exec(header);
  if (!match) return null;
  const [, timestamp, nonce, serial, signature] = match;
  if (timestamp === undefined || nonce === undefined || serial === undefined || signature === undefined) return null;
  if (!isBase64(signature)) return null;
  return { timestamp, nonce, serial, signature };
}

// ---------------------------------------------------------------------------------------------------
// Response and callback signing (platform → merchant)

export interface PayloadParts {
  timestamp: string | number;
  nonce: string;
  /** Raw body exactly as sent. */
  body: string;
}

/** The message a response/callback signature covers: `<timestamp>\n<nonce>\n<raw body>\n`. */
export function payloadMessage(parts: PayloadParts): string {
  const timestamp = String(parts.timestamp);
  assertSingleLine({ timestamp, nonce: parts.nonce });
  return `${timestamp}\n${parts.nonce}\n${parts.body}\n`;
}

/** Signs a response or callback body with the platform's private key; base64. */
export function signPayload(privateKey: string | KeyObject, parts: PayloadParts): string {
  return signMessage(privateKey, payloadMessage(parts));
}

/** Verifies a response or callback signature. Never throws. */
export function verifyPayload(publicKey: string | KeyObject, parts: PayloadParts, signatureB64: string): boolean {
  let message: string;
  try {
    message = payloadMessage(parts);
  } catch {
    return false;
  }
  return verifySignature(publicKey, message, signatureB64);
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random [A-Za-z0-9] string from the CSPRNG, without modulo bias. */
export function randomNonce(length = 24): string {
  if (!Number.isInteger(length) || length < 1 || length > 1024) {
    throw new RangeError('nonce length must be an integer 1..1024');
  }
  const limit = 256 - (256 % ALPHANUMERIC.length); // 248: reject bytes that would bias the modulo
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += ALPHANUMERIC.charAt(byte % ALPHANUMERIC.length);
      if (out.length === length) break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Secrets at rest

export interface SecretBox {
  /** Encrypts to `v1:<base64 iv>:<base64 tag>:<base64 ciphertext>`; `aad` binds it to a context. */
  seal(plaintext: string, aad?: string): string;
  /** Decrypts what seal produced (with the same `aad`); throws DomainError SECRET_DECRYPT_FAILED. */
  open(sealed: string, aad?: string): string;
}

const SECRET_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** AES-256-GCM with a random 12-byte IV per message. `key` must be 32 bytes. */
export function createSecretBox(key: Buffer): SecretBox {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw new RangeError('secret box key must be 32 bytes');
  const secret = Buffer.from(key); // own copy: later changes to the caller's buffer do not matter
  return {
    seal(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', secret, iv, { authTagLength: TAG_BYTES });
      if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [SECRET_VERSION, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(':');
    },
    open(sealed, aad) {
      const parts = typeof sealed === 'string' ? sealed.split(':') : [];
      const [version, ivB64, tagB64, dataB64] = parts;
      if (
        parts.length !== 4 ||
        version !== SECRET_VERSION ||
        ivB64 === undefined ||
        tagB64 === undefined ||
        dataB64 === undefined ||
        !isBase64(ivB64) ||
        !isBase64(tagB64) ||
        (dataB64 !== '' && !isBase64(dataB64))
      ) {
        throw decryptFailed('malformed sealed secret');
      }
      const iv = Buffer.from(ivB64, 'base64');
      const tag = Buffer.from(tagB64, 'base64');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw decryptFailed('malformed sealed secret');
      try {
        const decipher = createDecipheriv('aes-256-gcm', secret, iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tag);
        if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
        const plaintext = Buffer.concat([decipher.update(Buffer.from(dataB64, 'base64')), decipher.final()]);
        return plaintext.toString('utf8');
      } catch (cause) {
        throw decryptFailed('secret does not decrypt (wrong key or tampered)', cause);
      }
    },
  };
}

/**
 * Parses a 32-byte secret key given as 64 hex characters or as base64 (standard or URL-safe) of
 * 32 bytes. Surrounding whitespace is ignored. Throws DomainError INVALID_SECRET_KEY.
 */
export function parseSecretKey(text: string): Buffer {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(trimmed) || /^[A-Za-z0-9_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new DomainError('INVALID_SECRET_KEY', 'secret key must be 64 hex characters or base64 of 32 bytes');
}

// ---------------------------------------------------------------------------------------------------

function toPublicKey(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') {
    if (key.type !== 'public') throw invalidPublicKey('not a public key');
    return key;
  }
  try {
    return createPublicKey(key.trim());
  } catch (cause) {
    throw invalidPublicKey('public key does not parse', undefined, cause);
  }
}

function invalidPublicKey(message: string, details?: Record<string, unknown>, cause?: unknown): DomainError {
  return new DomainError('INVALID_PUBLIC_KEY', message, details, { cause });
}

function decryptFailed(message: string, cause?: unknown): DomainError {
  return new DomainError('SECRET_DECRYPT_FAILED', message, undefined, { cause });
}

function assertKeyBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    throw new RangeError(`RSA key size must be ${MIN_RSA_BITS}..${MAX_RSA_BITS} bits`);
  }
}

function assertSingleLine(fields: Record<string, string>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || /[\r\n]/.test(value)) throw new TypeError(`${name} must be a single line`);
  }
  if (fields.timestamp !== undefined && !TIMESTAMP.test(fields.timestamp)) {
    throw new TypeError('timestamp must be unix seconds (digits only)');
  }
}

/** Strict standard base64 with padding (Buffer.from(…, 'base64') alone silently skips junk). */
function isBase64(text: string): boolean {
  return text.length > 0 && text.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text);
}

function toBuffer(message: string | Buffer): Buffer {
  return typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
}
