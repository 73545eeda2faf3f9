import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Cross-origin access, the same for every route (/graphql, /v1, /api, /pay): only pages of the origins
 * listed in CORS_ORIGINS may read answers, with credentials (the session cookie). Any other origin gets
 * no Access-Control-* header at all — its preflight is answered 204 without allow headers, which the
 * browser treats as a refusal — so a page of another site cannot act as the signed-in user. Same-origin
 * use (the admin app) needs none of this.
 */

/** Request headers a listed origin's page may send: JSON, the merchant API's signature headers, a bearer token. */
const ALLOWED_HEADERS = 'Content-Type, Authorization, app_id, X-Request-Id';
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** Response headers a listed origin's script may read (the API's request id and response signature). */
const EXPOSED_HEADERS = 'X-Request-Id, Payrail-Timestamp, Payrail-Nonce, Payrail-Serial, Payrail-Signature';

export function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    // Answers differ by Origin once any origin is listed: caches must keep them apart.
    if (allowed.size > 0) reply.header('Vary', 'Origin');
    const listed = typeof origin === 'string' && allowed.has(origin);
    if (listed) {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Access-Control-Allow-Credentials', 'true');
      if (!preflight) reply.header('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    if (!preflight) return;
    if (listed) {
      reply.header('Access-Control-Allow-Methods', ALLOWED_METHODS);
      reply.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      reply.header('Access-Control-Max-Age', '600');
    }
    // A preflight never reaches a route (graphql-yoga would answer it with its own, permissive headers).
    return reply.status(204).header('Content-Length', '0').send();
  });
}
