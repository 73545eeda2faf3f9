import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../services.ts';
import { DomainError } from '../lib/errors.ts';
import { createPayout } from '../modules/payouts/operations/create-payout.ts';
import { getPayout } from '../modules/payouts/payouts.service.ts';
import { requirePaymentClient } from './auth.ts';
import { ok } from './envelope.ts';

type Body = Record<string, unknown>;

/** Payout endpoints of ../shared/REST-CONTRACT.md: `/v1/payout/create` and `/v1/payout/query`. */
export async function payoutRoutes(app: FastifyInstance, opts: { services: AppServices }): Promise<void> {
  const { services } = opts;

  app.post('/payout/create', async (request) => {
    const client = requirePaymentClient(request);
    const result = await createPayout(services, {
      merchantId: client.merchantId,
      mchId: client.mchId,
      appDbId: client.appDbId,
      test: client.test,
      defaultNotifyUrl: client.payoutNotifyUrl,
      creationType: 'AUTO',
      params: bodyOf(request.body),
    });
    return ok(request, result.object);
  });

  app.post('/payout/query', async (request) => {
    const client = requirePaymentClient(request);
    const body = bodyOf(request.body);
    const outTradeNo = optionalString(body, 'out_trade_no');
    const payoutNo = optionalString(body, 'payout_no');
    if (!outTradeNo && !payoutNo) throw new DomainError('INVALID_PARAMETER', 'out_trade_no or payout_no is required', { field: 'out_trade_no' });
    const view = await getPayout(services.prisma, client.merchantId, outTradeNo ? { outTradeNo } : { payoutNo: payoutNo! }, client.test);
    return ok(request, view.object);
  });
}

function bodyOf(body: unknown): Body {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new DomainError('INVALID_JSON', 'the body must be a JSON object');
  return body as Body;
}

function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 64) {
    throw new DomainError('INVALID_PARAMETER', `${field} must be a string of at most 64 characters`, { field });
  }
  return value;
}
