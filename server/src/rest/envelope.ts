import type { FastifyReply, FastifyRequest } from 'fastify';

/** The TTpay-style envelope every /v1 response uses. */
export interface Envelope<T> {
  code: number;
  msg: string;
  request_id: string;
  data: T | null;
}

export function ok<T>(request: FastifyRequest, data: T): Envelope<T> {
  return { code: 0, msg: 'ok', request_id: request.id, data };
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: number,
  msg: string,
  data: Record<string, unknown> | null = null,
): FastifyReply {
  return reply.status(status).send({ code, msg, request_id: request.id, data } satisfies Envelope<unknown>);
}
