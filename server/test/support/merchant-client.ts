import { createPrivateKey, type KeyObject } from 'node:crypto';
import { buildAuthorizationHeader, randomNonce, signRequest, verifyPayload } from '../../src/lib/crypto.ts';

/**
 * A merchant's server talking to the Payrail REST API, exactly as ../shared/REST-CONTRACT.md says: it
 * signs `METHOD\npath?query\ntimestamp\nnonce\nbody\n` with the merchant's private key, sends the very
 * body string it signed, and can verify the platform's response signature. Tests use it; it also shows
 * an integrator what to do.
 */
export interface MerchantClientOptions {
  /** e.g. http://127.0.0.1:4000 (no trailing /v1). */
  baseUrl: string;
  appId: string;
  mchId: string;
  privateKeyPem: string;
  /** Serial of the merchant key that signs (keySerial of its public key). */
  serial: string;
}

export interface MerchantResponse<T = unknown> {
  status: number;
  /** Parsed JSON (the envelope), or undefined when the body is not JSON. */
  body: T;
  /** The body exactly as received (what the response signature covers). */
  rawBody: string;
  headers: Headers;
}

/** Envelope of every /v1 answer. */
export interface Envelope<T = unknown> {
  code: number;
  msg: string;
  request_id: string;
  data: T;
}

/** Overrides for building deliberately wrong requests in tests. */
export interface SendOptions {
  method: string;
  /** Path with query, e.g. /v1/transaction/query?x=1. */
  path: string;
  /** A string is sent as is; anything else is JSON.stringify'd. Omit for no body. */
  body?: unknown;
  timestamp?: number | string;
  nonce?: string;
  serial?: string;
  appId?: string;
  /** Sign with another key (e.g. a revoked or unknown one). */
  privateKeyPem?: string;
  /** Sign this body instead of the one sent (signature mismatch). */
  signedBody?: string;
  /** Sign this path (with query) instead of the one sent. */
  signedPath?: string;
  /** Sign this method instead of the one sent. */
  signedMethod?: string;
  /** Extra headers; a header set to undefined is removed (e.g. `{ authorization: undefined }`). */
  headers?: Record<string, string | undefined>;
}

export interface SignedRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export class MerchantClient {
  readonly options: MerchantClientOptions;
  /** The last response, for verifyResponse() without an argument. */
  lastResponse: MerchantResponse | undefined;

  constructor(options: MerchantClientOptions) {
    this.options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, '') };
  }

  #parsedKey: { pem: string; key: KeyObject } | undefined;
  /** The client's private key, parsed once (as a real client keeps it) rather than on every request. */
  #signingKey(): KeyObject {
    const pem = this.options.privateKeyPem;
    if (this.#parsedKey?.pem !== pem) this.#parsedKey = { pem, key: createPrivateKey(pem) };
    return this.#parsedKey.key;
  }

  /** POSTs a JSON body; an object without `mch_id` gets this client's mch_id. */
  post<T = unknown>(path: string, body: unknown = {}): Promise<MerchantResponse<Envelope<T>>> {
    const withMchId = isPlainObject(body) && !('mch_id' in body) ? { mch_id: this.options.mchId, ...body } : body;
    return this.send({ method: 'POST', path, body: withMchId });
  }

  /** Signs a POST like `post` does, to send later with `deliver`. */
  signPost(path: string, body: Record<string, unknown>): SignedRequest {
    return this.sign({ method: 'POST', path, body: 'mch_id' in body ? body : { mch_id: this.options.mchId, ...body } });
  }

  get<T = unknown>(path: string): Promise<MerchantResponse<Envelope<T>>> {
    return this.send({ method: 'GET', path });
  }

  /** Sends a signed request; every part can be overridden to build a wrong one. */
  send<T = Envelope>(opts: SendOptions): Promise<MerchantResponse<T>> {
    return this.deliver<T>(this.sign(opts));
  }

  /** A signed request ready to send (and to send later: the signature holds for ±300 s, the nonce once). */
  sign(opts: SendOptions): SignedRequest {
    const method = opts.method.toUpperCase();
    const url = new URL(this.options.baseUrl + opts.path);
    // Sign the path as it goes on the wire (fetch sends the URL's normalised pathname + search).
    const pathWithQuery = url.pathname + url.search;
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const nonce = opts.nonce ?? randomNonce(24);
    const serial = opts.serial ?? this.options.serial;
    const signature = signRequest(opts.privateKeyPem ?? this.#signingKey(), {
      method: opts.signedMethod ?? method,
      pathWithQuery: opts.signedPath ?? pathWithQuery,
      timestamp,
      nonce,
      body: opts.signedBody ?? body ?? '',
    });

    const headers: Record<string, string> = {
      app_id: opts.appId ?? this.options.appId,
      authorization: buildAuthorizationHeader({ timestamp, nonce, serial, signature }),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    for (const [name, value] of Object.entries(opts.headers ?? {})) {
      if (value === undefined) delete headers[name.toLowerCase()];
      else headers[name.toLowerCase()] = value;
    }

    return { url, method, headers, body };
  }

  /** Sends a request signed by `sign`. */
  async deliver<T = Envelope>(request: SignedRequest): Promise<MerchantResponse<T>> {
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
    const rawBody = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      parsed = undefined;
    }
    const result: MerchantResponse<T> = { status: response.status, body: parsed as T, rawBody, headers: response.headers };
    this.lastResponse = result;
    return result;
  }

  /**
   * True when the response carries a valid Payrail-Signature by the given platform public key over
   * `<Payrail-Timestamp>\n<Payrail-Nonce>\n<raw body>\n`. A real client also checks that the timestamp
   * is recent and that Payrail-Serial names a key from /v1/platform/certificates.
   */
  verifyResponse(platformPublicKeyPem: string, response: MerchantResponse | undefined = this.lastResponse): boolean {
    if (!response) throw new Error('no response to verify');
    const timestamp = response.headers.get('payrail-timestamp');
    const nonce = response.headers.get('payrail-nonce');
    const signature = response.headers.get('payrail-signature');
    if (!timestamp || !nonce || !signature) return false;
    return verifyPayload(platformPublicKeyPem, { timestamp, nonce, body: response.rawBody }, signature);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
