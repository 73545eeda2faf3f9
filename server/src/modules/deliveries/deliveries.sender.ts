import type { KeyObject } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { randomNonce, signPayload } from '../../lib/crypto.ts';
import { guardedLookup, isPrivateAddress, PrivateAddressError } from '../../lib/private-networks.ts';

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
  /**
   * Whether the URL may reach loopback, private and link-local addresses (CALLBACK_ALLOW_PRIVATE_NETWORKS).
   * Off, a notify URL pointing inside our network fails without a request (server-side request forgery).
   */
  allowPrivateNetworks?: boolean;
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

  const url = httpUrl(request.url);
  if (!url) return failure('notify URL is not an absolute http(s) URL');
  // A name is checked on the address it resolves to (guardedLookup); an IP literal is never looked up.
  if (!request.allowPrivateNetworks && isPrivateAddress(url.hostname)) {
    return failure(new PrivateAddressError(url.hostname, url.hostname.replace(/^\[|\]$/g, '')).message);
  }

  const body = Buffer.from(request.body, 'utf8');
  const headers = {
    'Content-Type': 'application/json',
    'Content-Length': String(body.byteLength),
    'User-Agent': CALLBACK_USER_AGENT,
    ...callbackSignatureHeaders(request.body, request.serial, request.privateKey, requestedAt),
  };
  const started = performance.now();
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<CallbackResult>((resolve) => {
    let latencyMs: number | null = null;
    let settled = false;
    const finish = (result: CallbackResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      resolve(result);
    };
    // Redirects are not followed (node:http never does): a 3xx is an answer that does not acknowledge.
    const outgoing = send(url, {
      method: 'POST',
      headers,
      agent: false,
      ...(request.allowPrivateNetworks ? {} : { lookup: guardedLookup }),
    });
    const timer = setTimeout(() => finish(failure(`timeout after ${timeoutMs} ms`, elapsed(started))), timeoutMs);
    outgoing.on('error', (error) => finish(failure(describeError(error), elapsed(started))));
    outgoing.on('response', (response) => {
      latencyMs = elapsed(started);
      const statusCode = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let bytes = 0;
      const done = (): void => {
        finish({
          requestedAt,
          statusCode,
          latencyMs: latencyMs ?? elapsed(started),
          responseExcerpt: excerptOf(chunks, RESPONSE_EXCERPT_BYTES),
          error: null,
          acknowledged: statusCode >= 200 && statusCode < 300,
        });
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        bytes += chunk.byteLength;
        if (bytes >= RESPONSE_EXCERPT_BYTES) done(); // enough: the rest is not downloaded
      });
      response.on('end', done);
      // Reset while reading: keep what arrived.
      response.on('error', done);
      response.on('close', done);
    });
    outgoing.end(body);
  });
}

function httpUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function elapsed(started: number): number {
  return Math.max(0, Math.round(performance.now() - started));
}

/** At most the first `maxBytes` bytes of the answer as text. */
function excerptOf(chunks: Buffer[], maxBytes: number): string | null {
  const head = Buffer.concat(chunks).subarray(0, maxBytes);
  // stream: true holds back a UTF-8 sequence cut at the limit instead of emitting U+FFFD for it.
  const text = new TextDecoder('utf-8').decode(head, { stream: true }).replace(/\u0000/g, ''); // PostgreSQL text cannot hold NUL
  return text === '' ? null : text;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
