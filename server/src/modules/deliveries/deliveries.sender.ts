import type { KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { randomNonce, signPayload } from '../../lib/crypto.ts';

/**
 * One HTTP attempt of a callback (REST-CONTRACT "Signing responses and callbacks", "Callbacks"):
 * POST the stored body unchanged, signed over `<timestamp>\n<nonce>\n<raw body>\n` with the platform
 * private key, and report what happened. It never throws for what the network or the receiver does;
 * the caller records the result and decides about retries.
 */

export const CALLBACK_TIMEOUT_MS = 10_000;
export const CALLBACK_USER_AGENT = 'Payrail-Callback/1';
/** How much of the receiver's answer is kept on the attempt (DeliveryAttempt.responseExcerpt): 1 KiB. */
export const RESPONSE_EXCERPT_BYTES = 1024;
const ERROR_CHARS = 512;

export interface CallbackRequest {
  url: string;
  /** The exact body to send and sign. */
  body: string;
  /** Serial of the platform key (sent as `Payrail-Serial`). */
  serial: string;
  privateKey: KeyObject;
  timeoutMs?: number;
}

export interface CallbackResult {
  requestedAt: Date;
  /** HTTP status of the answer; null when there was none (connection error, timeout, bad URL). */
  statusCode: number | null;
  /** Time until the answer's status line arrived (or until the failure). */
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
  /** Any 2xx answer acknowledges the callback. */
  acknowledged: boolean;
}

/** The four signature headers of a callback; exposed so tests and the simulator sign the same way. */
export function callbackSignatureHeaders(body: string, serial: string, privateKey: KeyObject, now = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = randomNonce(24);
  return {
    'Payrail-Timestamp': timestamp,
    'Payrail-Nonce': nonce,
    'Payrail-Serial': serial,
    'Payrail-Signature': signPayload(privateKey, { timestamp, nonce, body }),
  };
}

export async function postCallback(request: CallbackRequest): Promise<CallbackResult> {
  const requestedAt = new Date();
  const timeoutMs = request.timeoutMs ?? CALLBACK_TIMEOUT_MS;
  const failure = (error: string, latencyMs = 0): CallbackResult => ({
    requestedAt,
    statusCode: null,
    latencyMs,
    responseExcerpt: null,
    error: truncate(error, ERROR_CHARS),
    acknowledged: false,
  });

  if (!isHttpUrl(request.url)) return failure('notify URL is not an absolute http(s) URL');

  const headers = {
    'Content-Type': 'application/json',
    'User-Agent': CALLBACK_USER_AGENT,
    ...callbackSignatureHeaders(request.body, request.serial, request.privateKey, requestedAt),
  };
  const signal = AbortSignal.timeout(timeoutMs);
  const started = performance.now();
  let response: Response;
  try {
    // Redirects are not followed: a 3xx is an answer that does not acknowledge.
    response = await fetch(request.url, { method: 'POST', headers, body: request.body, redirect: 'manual', signal });
  } catch (error) {
    return failure(describeFetchError(error, timeoutMs), elapsed(started));
  }
  const latencyMs = elapsed(started);
  const responseExcerpt = await readExcerpt(response, RESPONSE_EXCERPT_BYTES);
  const acknowledged = response.status >= 200 && response.status < 300;
  return { requestedAt, statusCode: response.status, latencyMs, responseExcerpt, error: null, acknowledged };
}

function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function elapsed(started: number): number {
  return Math.max(0, Math.round(performance.now() - started));
}

/** At most the first `maxBytes` bytes of the answer as text, read without downloading the rest. */
async function readExcerpt(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    while (bytes < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
    }
  } catch {
    // Timeout or reset while reading: keep what arrived.
  } finally {
    reader.cancel().catch(() => {});
  }
  const head = Buffer.concat(chunks).subarray(0, maxBytes);
  // stream: true holds back a UTF-8 sequence cut at the limit instead of emitting U+FFFD for it.
  const text = new TextDecoder('utf-8').decode(head, { stream: true }).replace(/\u0000/g, ''); // PostgreSQL text cannot hold NUL
  return text === '' ? null : text;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timeout after ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    // undici wraps the socket error: "fetch failed" with the cause "connect ECONNREFUSED 127.0.0.1:9".
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    return error.message || error.name;
  }
  return String(error);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
