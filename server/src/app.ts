import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppServices } from './graphql/context.ts';
import { attachSubscriptions, createGraphQL } from './graphql/yoga.ts';
import { pendingMigrations } from './db/migrator.ts';
import { REST_BODY_LIMIT, restApi } from './rest/index.ts';
import { cashierRoutes } from './cashier/cashier.routes.ts';
import { exportDownloadRoutes } from './http/exports.routes.ts';

export interface App {
  fastify: FastifyInstance;
  /** Stops accepting connections and closes WebSockets. */
  close(): Promise<void>;
}

const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export const GRAPHQL_BODY_LIMIT = 256 * 1024;

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
  });

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
    await fastify.register(fastifyStatic, { root: webDist, wildcard: false, index: 'index.html' });
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
