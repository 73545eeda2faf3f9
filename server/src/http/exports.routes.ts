import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../services.ts';
import { defineAbilityFor } from '../modules/auth/ability.ts';
import { resolveViewer } from '../modules/auth/principal.ts';
import { exportFile } from '../modules/exports/exports.service.ts';

/**
 * `GET /api/exports/:id/download`: the finished file of an export, for the signed-in user who may read
 * it (the same session cookie as GraphQL). Anything else is 404, so ids of other users' exports reveal
 * nothing. Files are served as attachments with no caching.
 */
export async function exportDownloadRoutes(app: FastifyInstance, opts: { services: AppServices }): Promise<void> {
  const { services } = opts;
  app.get<{ Params: { id: string } }>('/api/exports/:id/download', async (request, reply) => {
    const viewer = await resolveViewer(services, { headers: request.headers, ip: request.ip ?? null });
    if (viewer.kind === 'anonymous' || (viewer.kind === 'user' && !viewer.mfaVerified)) {
      return reply.status(401).send({ error: 'UNAUTHENTICATED' });
    }
    const file = await exportFile({ prisma: services.prisma, ability: defineAbilityFor(viewer) }, request.params.id);
    switch (file.kind) {
      case 'NOT_FOUND':
        return reply.status(404).send({ error: 'NOT_FOUND' });
      case 'NOT_READY':
      case 'EXPIRED':
        return reply.status(409).send({ error: file.kind, status: file.status });
      case 'FILE':
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .header('cache-control', 'no-store')
          .send(file.content);
    }
  });
}
