import type { FastifyError, FastifyInstance } from 'fastify';
import type { AppServices } from '../services.ts';
import { sendError } from './envelope.ts';
import { toRestError } from './error-table.ts';
import { authenticatePaymentClient, certificateRoutes, registerJsonBodyParser, signResponses } from './auth.ts';
import { closeRedisClients } from '../lib/redis-clients.ts';
import { rateLimiter } from '../modules/apps/rate-limit.ts';
import { openApiDocument, referencePage } from './openapi.ts';
import { payinRoutes } from './payin.routes.ts';
import { payoutRoutes } from './payout.routes.ts';
import { upstreamRoutes } from './upstream.routes.ts';

export const REST_BODY_LIMIT = 64 * 1024;

/** The merchant REST API under /v1 (../shared/REST-CONTRACT.md). */
export async function restApi(app: FastifyInstance, opts: { services: AppServices }): Promise<void> {
  const { services } = opts;

  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });

  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404, 40401, `no such endpoint: ${request.method} ${request.url}`));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = toRestError(error);
    if (mapped) return sendError(request, reply, mapped.status, mapped.code, mapped.msg, mapped.data);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(request, reply, 413, 41301, `body larger than ${REST_BODY_LIMIT} bytes`);
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
      return sendError(request, reply, 400, 40001, 'body is not valid JSON');
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(request, reply, 400, 40001, 'Content-Type must be application/json');
    services.log.error({ err: error, requestId: request.id }, 'unhandled error in REST API');
    return sendError(request, reply, 500, 50001, `internal error, quote request_id ${request.id}`);
  });

  app.get('/openapi.json', async () => openApiDocument(services.config.publicUrl));
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(referencePage(openApiDocument(services.config.publicUrl))));

  // Upstream providers call back here; each connector verifies its own signature.
  await app.register(upstreamRoutes, { services });

  // Everything merchants' servers call: signed requests, signed responses.
  await app.register(async (signed) => {
    registerJsonBodyParser(signed, REST_BODY_LIMIT);
    signed.addHook('preHandler', authenticatePaymentClient(services));
    const limiter = rateLimiter(services.config.RATE_LIMIT_PER_SECOND, services.config.REDIS_URL);
    signed.addHook('preHandler', async (request) => limiter.hit(request.paymentClient!.appId));
    signed.addHook('onSend', signResponses(services));
    await signed.register(certificateRoutes, { services });
    await signed.register(payinRoutes, { services });
    await signed.register(payoutRoutes, { services });
  });
  app.addHook('onClose', () => closeRedisClients());
}
