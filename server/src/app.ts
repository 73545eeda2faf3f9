import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { AppServices } from './services.ts';
import { attachSubscriptions, createGraphQL } from './graphql/yoga.ts';
import { pendingMigrations } from './db/migrator.ts';
import { sendError } from './rest/envelope.ts';
import { REST_BODY_LIMIT, restApi } from './rest/index.ts';
import { cashierRoutes } from './cashier/cashier.routes.ts';
import { registerCors } from './http/cors.ts';
import { exportDownloadRoutes } from './http/exports.routes.ts';

export interface App {
  fastify: FastifyInstance;
  /** Stops accepting connections and closes WebSockets. */
  close(): Promise<void>;
}

const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export const GRAPHQL_BODY_LIMIT = 256 * 1024;

/**
 * The admin app's content security policy: its own scripts only (Vite emits no inline script),
 * inline styles (naive-ui injects its CSS at run time), data: images (QR codes), same-origin API and
 * WebSocket, never framed.
 */
export const ADMIN_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite's content-hashed build output: a file there never changes under its name. */
const IMMUTABLE_ASSETS = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+(?:\.(?:br|gz))?$/;

/**
 * Cache-Control of a file of the admin app: hashed assets are cached for a year and never revalidated;
 * everything else (index.html, which names the current assets, and the SPA fallback) is revalidated on
 * every use, so a deployment is picked up at the next page load.
 */
export function webCacheControl(webDist: string, filePath: string): string {
  const relative = path.relative(webDist, filePath).split(path.sep).join('/');
  return IMMUTABLE_ASSETS.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** How long a stopping server waits for requests in flight before it cuts the connections. */
export const CLOSE_GRACE_MS = 5_000;

/** One HTTP server: /graphql (HTTP + WebSocket), /v1, /healthz, /readyz and the admin SPA. */
export async function buildApp(services: AppServices, databaseUrl: string): Promise<App> {
  const fastify = Fastify({
    loggerInstance: services.log.child({ component: 'http' }) as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: services.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Paths the router cannot take (percent-escapes that are not UTF-8, over-long parameters): under
    // /v1 the contract's envelope, 40002 naming the path; the cashier's API its error shape; elsewhere a
    // plain 400.
    frameworkErrors: (error, request, reply) => {
      if (/^\/v1(\/|$|\?)/.test(request.url)) {
        reply.header('X-Request-Id', request.id);
        return sendError(request, reply, 400, 40002, 'the request path is not valid (percent-escapes must be UTF-8, parameters short)', { field: 'path' });
      }
      if (request.url.startsWith('/pay/api/')) {
        return (reply as FastifyReply).status(400).send({ error: { code: 'INVALID_PARAMETER', message: 'the request path is not valid', field: 'path' } });
      }
      return (reply as FastifyReply).status(400).send({ error: 'bad request', code: error.code });
    },
  });

  // Every answer: no MIME sniffing, never framed (clickjacking of the back office), no referrer
  // leaving the origin. HTML pages of the admin app also get a content security policy; the cashier
  // sets its own, stricter one.
  const hsts = services.config.publicUrl.startsWith('https://');
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('x-content-type-options')) reply.header('X-Content-Type-Options', 'nosniff');
    if (!reply.hasHeader('x-frame-options')) reply.header('X-Frame-Options', 'DENY');
    if (!reply.hasHeader('referrer-policy')) reply.header('Referrer-Policy', 'same-origin');
    if (hsts) reply.header('Strict-Transport-Security', 'max-age=31536000');
    const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
    if (html && !reply.hasHeader('content-security-policy') && !request.url.startsWith('/graphql')) reply.header('Content-Security-Policy', ADMIN_APP_CSP);
    return payload;
  });

  registerCors(fastify, services.config.CORS_ORIGINS);

  fastify.get('/healthz', async () => ({ status: 'ok' }));
  fastify.get('/readyz', async (_request, reply) => {
    const database = await services.prisma.$queryRaw`SELECT 1`.then(() => true, () => false);
    const pending = database ? await pendingMigrations(databaseUrl).catch(() => null) : null;
    const ready = database && pending !== null && pending.length === 0 && services.readiness.migrated;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', database, pendingMigrations: pending });
  });

  const yoga = createGraphQL(services);
  fastify.route({
    url: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    // A GraphQL request is a document and its variables: far below the 1 MiB other routes accept.
    bodyLimit: GRAPHQL_BODY_LIMIT,
    handler: async (req, reply) => {
      const response = await yoga.handleNodeRequestAndResponse(req, reply, { req, reply });
      response.headers.forEach((value, key) => void reply.header(key, value));
      reply.status(response.status);
      reply.send(response.body);
      return reply;
    },
  });

  await fastify.register(restApi, { prefix: '/v1', services, bodyLimit: REST_BODY_LIMIT } as never);

  // The hosted cashier: /pay/order (page) and /pay/api/… (status, payer submission).
  await fastify.register(cashierRoutes, { services });
  await fastify.register(exportDownloadRoutes, { services });

  const webDist = services.config.WEB_DIST ?? DEFAULT_WEB_DIST;
  if (existsSync(webDist)) {
    await fastify.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: 'index.html',
      // `vite build` writes `<file>.br` / `<file>.gz` beside each text file (web/vite.config.ts): sent as
      // they are with Content-Encoding and `Vary: Accept-Encoding`, the plain file when the client
      // accepts neither. The compressed copies get no routes of their own.
      preCompressed: true,
      globIgnore: ['**/*.br', '**/*.gz'],
      cacheControl: false,
      setHeaders: (reply, filePath) => void reply.header('Cache-Control', webCacheControl(webDist, filePath)),
    });
    fastify.setNotFoundHandler((request, reply) => {
      const wantsPage = request.method === 'GET' && !/^\/(v1|graphql|pay\/api|api|assets)(\/|$)/.test(request.url);
      if (wantsPage) return reply.sendFile('index.html');
      return reply.status(404).send({ error: 'not found' });
    });
  } else {
    services.log.warn({ webDist }, 'admin SPA is not built; run `npm run build --workspace web`');
  }

  await fastify.ready();
  const closeSubscriptions = attachSubscriptions(yoga, fastify.server, services);
  return {
    fastify,
    async close() {
      await closeSubscriptions();
      // Requests in flight get CLOSE_GRACE_MS to finish; whatever is still connected then (a client
      // that stalls, a keep-alive connection that went idle after closing began) is cut, so a stop
      // never waits for the 72 s keep-alive timeout.
      const cut = setTimeout(() => fastify.server.closeAllConnections(), CLOSE_GRACE_MS);
      try {
        await fastify.close();
      } finally {
        clearTimeout(cut);
      }
    },
  };
}
