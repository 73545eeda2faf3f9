import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../services.ts';
import { defineAbilityFor } from '../modules/auth/ability.ts';
import { resolveViewer } from '../modules/auth/principal.ts';
import { subject } from '@casl/ability';

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
    const id = request.params.id;
    if (!/^[0-9a-f-]{36}$/i.test(id)) return reply.status(404).send({ error: 'NOT_FOUND' });
    const row = await services.prisma.export.findUnique({ where: { id } });
    const ability = defineAbilityFor(viewer);
    if (!row || !ability.can('read', subject('Export', { ...row }) as never)) return reply.status(404).send({ error: 'NOT_FOUND' });
    if (row.status !== 'DONE' || !row.content) return reply.status(409).send({ error: row.content ? 'NOT_READY' : 'EXPIRED', status: row.status });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${row.fileName ?? `export-${row.id}.csv`}"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(row.content));
  });
}
