import { createPrivateKey, type KeyObject } from 'node:crypto';
import { buildAuthorizationHeader, randomNonce, signRequest } from '../../src/lib/crypto.ts';
import type { MerchantFixture } from './fixtures.ts';

/**
 * Raw HTTP for hostile-input tests: any bytes as the body, any content type, signed as a merchant's
 * server signs (REST-CONTRACT.md "Signing requests") or deliberately not. The merchant client only
 * sends strings; this sends what a broken or malicious client would.
 */

export type Signing = 'good' | 'bad-signature' | 'stale' | 'malformed' | 'none' | 'wrong-app';

export interface RawRequest {
  method: string;
  path: string;
  /** Sent as is; a string is sent UTF-8 encoded. */
  body?: Uint8Array | string;
  /** Omit for none. */
  contentType?: string;
  signing: Signing;
  /** Extra headers (e.g. an upstream's signature headers). */
  headers?: Record<string, string>;
  /** A nonce to sign with (to replay one); default a fresh one. */
  nonce?: string;
}

export interface RawResponse {
  status: number;
  text: string;
  json: unknown;
  /** The answer carries a platform signature: the request passed authentication. */
  signed: boolean;
  location: string | null;
}

export async function sendRaw(baseUrl: string, merchant: MerchantFixture, request: RawRequest): Promise<RawResponse> {
  const bytes = request.body === undefined ? undefined : typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : Buffer.from(request.body);
  const headers: Record<string, string> = { ...request.headers };
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  if (request.signing !== 'none') {
    const timestamp = request.signing === 'stale' ? Math.floor(Date.now() / 1000) - 3600 : Math.floor(Date.now() / 1000);
    const nonce = request.nonce ?? randomNonce(24);
    // What the server verifies is the body as text (undecodable bytes become U+FFFD here; the server
    // refuses those before it looks at the signature anyway).
    const text = bytes ? new TextDecoder().decode(bytes) : '';
    const signature = signRequest(privateKeyOf(merchant.clientKeys.privateKeyPem), { method: request.method, pathWithQuery: request.path, timestamp, nonce, body: text });
    headers.app_id = request.signing === 'wrong-app' ? '0'.repeat(32) : merchant.appId;
    headers.authorization =
      request.signing === 'malformed'
        ? `PAYRAIL-SHA256-RSA2048 timestamp=${timestamp},nonce="${nonce}"`
        : buildAuthorizationHeader({ timestamp, nonce, serial: merchant.serial, signature: request.signing === 'bad-signature' ? flip(signature) : signature });
  }
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers, body: bytes, redirect: 'manual' });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, signed: response.headers.has('payrail-signature'), location: response.headers.get('location') };
}

/** Parsing the PEM costs more than signing: once per key. */
const keyObjects = new Map<string, KeyObject>();
function privateKeyOf(pem: string): KeyObject {
  let key = keyObjects.get(pem);
  if (!key) keyObjects.set(pem, (key = createPrivateKey(pem)));
  return key;
}

function flip(signature: string): string {
  const c = signature[10] === 'A' ? 'B' : 'A';
  return signature.slice(0, 10) + c + signature.slice(11);
}

/** Row counts of every table of the public schema but those given (bookkeeping such as api_nonces). */
export async function tableCounts(db: { $queryRawUnsafe<T>(query: string): Promise<T> }, except: readonly string[]): Promise<Record<string, number>> {
  const tables = await db.$queryRawUnsafe<Array<{ table_name: string }>>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    if (except.includes(table_name)) continue;
    const [row] = await db.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM "${table_name.replace(/"/g, '""')}"`);
    counts[table_name] = Number(row!.n);
  }
  return counts;
}

/** Deterministic PRNG (mulberry32): the same seed, the same requests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
