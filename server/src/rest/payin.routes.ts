import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../services.ts';
import { DomainError } from '../lib/errors.ts';
import { formatAmount } from '../lib/money.ts';
import { currencyDigits } from '../modules/catalog/catalog.service.ts';
import { merchantBalances } from '../modules/ledger/ledger.service.ts';
import { closePayin } from '../modules/payins/operations/close-payin.ts';
import { createPayin } from '../modules/payins/operations/create-payin.ts';
import { getPayin } from '../modules/payins/payins.service.ts';
import { requirePaymentClient } from './auth.ts';
import { ok } from './envelope.ts';

type Body = Record<string, unknown>;

/** Payin and balance endpoints of ../shared/REST-CONTRACT.md: parse, call one service function, map. */
export async function payinRoutes(app: FastifyInstance, opts: { services: AppServices }): Promise<void> {
  const { services } = opts;

  app.post('/transaction/prepayment', async (request) => {
    const client = requirePaymentClient(request);
    const result = await createPayin(services, {
      merchantId: client.merchantId,
      mchId: client.mchId,
      appDbId: client.appDbId,
      test: client.test,
      defaultNotifyUrl: client.payinNotifyUrl,
      creationType: 'AUTO',
      params: bodyOf(request.body),
    });
    return ok(request, result.prepayment);
  });

  app.post('/transaction/query', async (request) => {
    const client = requirePaymentClient(request);
    const view = await getPayin(services.prisma, client.merchantId, orderLookup(bodyOf(request.body)), client.test);
    return ok(request, view.object);
  });

  app.post('/transaction/close', async (request) => {
    const client = requirePaymentClient(request);
    const lookup = orderLookup(bodyOf(request.body));
    const result = await closePayin(services, {
      merchantId: client.merchantId,
      ...lookup,
      test: client.test,
      actor: { type: 'APP', id: client.appId },
      reason: 'closed by the merchant through the API',
    });
    return ok(request, result.object);
  });

  app.post('/balance/query', async (request) => {
    const client = requirePaymentClient(request);
    const body = bodyOf(request.body);
    const currency = optionalString(body, 'currency', 10);
    // A test application reads the test book, a live one the live book (never both).
    const balances = await merchantBalances(services.prisma, client.merchantId, client.test, currency);
    const data = await Promise.all(
      balances.map(async (b) => {
        const digits = await currencyDigits(services.prisma, b.currency);
        return {
          currency: b.currency,
          available: formatAmount(b.available, digits),
          pending: formatAmount(b.pending, digits),
          frozen: formatAmount(b.frozen, digits),
          total: formatAmount(b.total, digits),
        };
      }),
    );
    return ok(request, data);
  });
}

function bodyOf(body: unknown): Body {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new DomainError('INVALID_JSON', 'the body must be a JSON object');
  }
  return body as Body;
}

function optionalString(body: Body, field: string, max: number): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max) {
    throw new DomainError('INVALID_PARAMETER', `${field} must be a string of at most ${max} characters`, { field });
  }
  return value;
}

function orderLookup(body: Body): { outTradeNo: string } | { prepayId: string } {
  const outTradeNo = optionalString(body, 'out_trade_no', 64);
  if (outTradeNo) return { outTradeNo };
  const prepayId = optionalString(body, 'prepay_id', 64);
  if (prepayId) return { prepayId };
  throw new DomainError('INVALID_PARAMETER', 'out_trade_no or prepay_id is required', { field: 'out_trade_no' });
}
