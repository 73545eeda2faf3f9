import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../services.ts';
import { parseAuthorizationHeader, randomNonce, signPayload, verifyRequest } from '../lib/crypto.ts';
import { DomainError } from '../lib/errors.ts';
import { APP_ID_PATTERN } from '../lib/ids.ts';
import { parseJsonObjectBody } from '../lib/json-body.ts';
import { cachedAppCredentials } from '../modules/apps/app-credentials.ts';
import { listPlatformCertificates } from '../modules/apps/apps.service.ts';
import { nonceStore, type NonceStore } from '../modules/apps/nonce-store.ts';
import { ok } from './envelope.ts';
import type { PaymentClient } from './payment-client.ts';

/**
 * Authentication of the merchant REST API (../shared/REST-CONTRACT.md "Signing requests" and
 * "Signing responses and callbacks"): the JSON body parser that keeps the raw body, the preHandler that
 * checks `app_id` + `Authorization` and sets `request.paymentClient`, the onSend hook that signs
 * responses with the app's platform key, and GET /platform/certificates.
 */

/** Largest allowed difference between the request timestamp and server time. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

// ---------------------------------------------------------------------------------------------------
// Body

/**
 * Makes `application/json` (any charset parameter; the body must be UTF-8) the only accepted body type
 * in this plugin context. The body exactly as received is kept on `request.rawBody` (signatures cover
 * it) and parsed; anything but a JSON object is INVALID_JSON (40001). Over `limit` bytes Fastify fails
 * with FST_ERR_CTP_BODY_TOO_LARGE (41301); other content types with FST_ERR_CTP_INVALID_MEDIA_TYPE.
 * Input hygiene (REST-CONTRACT.md): a string or key with NUL, a lone surrogate or bytes that are not
 * UTF-8, or nesting deeper than MAX_JSON_DEPTH, is INVALID_PARAMETER (40002) naming the field — checked
 * here, before the signature: such a body is refused whoever signed it, and nothing is recorded.
 */
export function registerJsonBodyParser(app: FastifyInstance, limit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: limit }, (request, body, done) => {
    try {
      const { text, parsed } = parseJsonObjectBody(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
      request.rawBody = text;
      done(null, parsed);
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Requests

/**
 * preHandler for the signed routes. Checks, in this order, so that a refused request records nothing:
 * headers well formed (40101) → app exists and is enabled (40105) → `serial` is an active merchant key
 * and the signature verifies (40102) → timestamp within ±300 s (40103) → client IP in the app's
 * whitelist (40301) → body `mch_id` is the app's merchant and the merchant is active (40302) → the
 * nonce was not seen for this app within 15 min (40104; recorded only now, as the last step).
 */
export function authenticatePaymentClient(services: AppServices): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  let store: NonceStore | undefined; // created on first use, so a process that serves no signed request opens no Redis connection
  return async (request) => {
    const appIdHeader = request.headers['app_id'];
    if (typeof appIdHeader !== 'string' || !APP_ID_PATTERN.test(appIdHeader)) {
      throw new DomainError('AUTH_MISSING', 'missing or malformed app_id header');
    }
    const auth = parseAuthorizationHeader(request.headers.authorization);
    if (!auth) throw new DomainError('AUTH_MISSING', 'missing or malformed Authorization header');

    const app = await cachedAppCredentials(services.prisma, services.secrets, appIdHeader);
    if (!app || app.status !== 'ENABLED') throw new DomainError('AUTH_UNKNOWN_APP', 'unknown or disabled app');

    const key = app.merchantKeys.get(auth.serial);
    const parts = { method: request.method, pathWithQuery: request.url, timestamp: auth.timestamp, nonce: auth.nonce, body: request.rawBody ?? '' };
    if (!key || !verifyRequest(key, parts, auth.signature)) {
      throw new DomainError('AUTH_BAD_SIGNATURE', key ? 'signature does not verify' : 'serial names no active key of this app');
    }

    const skew = Math.abs(Math.floor(Date.now() / 1000) - Number(auth.timestamp));
    if (skew > TIMESTAMP_WINDOW_SECONDS) {
      throw new DomainError('AUTH_STALE_TIMESTAMP', `timestamp is more than ${TIMESTAMP_WINDOW_SECONDS} s away from server time`, {
        server_time: Math.floor(Date.now() / 1000),
      });
    }

    if (!app.allowsIp(request.ip)) {
      throw new DomainError('IP_NOT_WHITELISTED', 'client IP is not in the app whitelist', { ip: request.ip });
    }

    const mchId = bodyMchId(request.body);
    if (mchId !== undefined && mchId !== app.merchant.mchId) {
      throw new DomainError('MERCHANT_MISMATCH', 'mch_id does not belong to this app', { field: 'mch_id' });
    }
    if (app.merchant.status !== 'ACTIVE') throw new DomainError('MERCHANT_SUSPENDED', 'merchant is not active');

    // Cannot sign the answer: a configuration fault (50001), found before anything is recorded.
    if (!app.platformKey) throw new Error(`app ${app.appId} has no usable platform key`);

    store ??= nonceStore(services.prisma, services.config.REDIS_URL);
    if (!(await store.claim(app.appId, auth.nonce))) {
      throw new DomainError('AUTH_NONCE_REUSED', 'nonce already used for this app within 15 minutes');
    }

    request.paymentClient = {
      appDbId: app.appDbId,
      appId: app.appId,
      merchantId: app.merchant.id,
      mchId: app.merchant.mchId,
      test: app.test,
      payinNotifyUrl: app.payinNotifyUrl,
      payoutNotifyUrl: app.payoutNotifyUrl,
      platformKey: app.platformKey,
    } satisfies PaymentClient;
  };
}

// ---------------------------------------------------------------------------------------------------
// Responses

/**
 * onSend hook: once a request is authenticated, every answer to it (success or error) carries
 * `Payrail-Timestamp`, `Payrail-Nonce`, `Payrail-Serial` and `Payrail-Signature` over
 * `<timestamp>\n<nonce>\n<raw body>\n`, signed with the app's platform key. Answers to requests that
 * failed authentication are not signed (we do not know whom to sign for).
 */
export function signResponses(services: AppServices): (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown> {
  return async (request, reply, payload) => {
    const client = request.paymentClient;
    if (!client) return payload;
    let body: string;
    if (typeof payload === 'string') body = payload;
    else if (payload === null || payload === undefined) body = '';
    else if (Buffer.isBuffer(payload)) body = payload.toString('utf8');
    else {
      services.log.warn({ requestId: request.id, url: request.url }, 'streamed /v1 response left unsigned');
      return payload;
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomNonce(32);
    reply.header('Payrail-Timestamp', String(timestamp));
    reply.header('Payrail-Nonce', nonce);
    reply.header('Payrail-Serial', client.platformKey.serial);
    reply.header('Payrail-Signature', signPayload(client.platformKey.privateKey, { timestamp, nonce, body }));
    return body; // exactly the text that was signed
  };
}

// ---------------------------------------------------------------------------------------------------
// GET /platform/certificates

/**
 * `GET /platform/certificates` (register under the /v1 prefix, inside the context that runs
 * `authenticatePaymentClient` and `signResponses`): the app's platform public keys.
 */
export const certificateRoutes: FastifyPluginAsync<{ services: AppServices }> = async (app, opts) => {
  const { services } = opts;
  app.get('/platform/certificates', async (request) => {
    const client = requirePaymentClient(request);
    const certificates = await listPlatformCertificates(services.prisma, client.appDbId);
    return ok(
      request,
      certificates.map((certificate) => ({
        serial: certificate.serial,
        public_key_pem: certificate.publicKeyPem,
        effective_at: certificate.effectiveAt.toISOString(),
        expires_at: certificate.expiresAt?.toISOString() ?? null,
      })),
    );
  });
};

/** The authenticated client; a route reached without the auth hook is a wiring bug (50001), never open. */
export function requirePaymentClient(request: FastifyRequest): PaymentClient {
  if (!request.paymentClient) throw new Error(`${request.method} ${request.routeOptions.url ?? request.url} is not behind authenticatePaymentClient`);
  return request.paymentClient;
}

// ---------------------------------------------------------------------------------------------------

/** `mch_id` of a JSON object body (a string, or a number as some TTpay clients send); undefined when absent. */
function bodyMchId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('mch_id' in body)) return undefined;
  const value = (body as { mch_id: unknown }).mch_id;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return value === undefined ? undefined : ''; // any other type matches no merchant
}

