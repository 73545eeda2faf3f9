import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../services.ts';
import { DomainError, isDomainError } from '../lib/errors.ts';
import { submitPayer } from '../modules/payins/operations/submit-payer.ts';
import { PAYER_FIELDS } from '../modules/payins/payins.params.ts';
import { getPayinForCashier, type CashierView } from '../modules/payins/payins.service.ts';
import { parseJsonObjectBody } from '../lib/json-body.ts';
import { decodeUtf8, describeProblem, dirtyProblem, printableField, type DirtyProblem } from '../lib/text-hygiene.ts';
import { cashierLang, type CashierLang } from './cashier.i18n.ts';
import { asPayerField, CASHIER_PATHS, cashierPage } from './cashier.model.ts';
import { qrDataUrl, renderCashierPage, renderMessagePage } from './cashier.template.ts';
import { windowLimiter } from '../lib/window-limiter.ts';
import { getCashierStatus, toCashierStatus } from './cashier.service.ts';

/**
 * The hosted cashier (seed 003's `payment_url`), for the payer's browser — anonymous; the 256-bit
 * prepay id in the URL is the capability.
 *
 *   GET  /pay/order?prepay_id=…[&lang=en|zh]   the page (HTML, strict CSP with a per-response nonce)
 *   GET  /pay/api/order/:prepayId              live status JSON (polled every 2 s by the page)
 *   POST /pay/api/order/:prepayId/submit       payer fields + "I have paid" → submitPayer
 *
 * The submit takes JSON (the page's script) or a plain form post (no JavaScript: answered with a 303
 * back to the page, errors in the query). Errors are `{ error: { code, message, field } }` with the
 * HTTP status of the REST error table (400 INVALID_PARAMETER, 404 ORDER_NOT_FOUND, 409
 * INVALID_TRANSITION, 413, 429 RATE_LIMITED). Register at the root: `app.register(cashierRoutes, { services })`.
 */

export interface CashierRoutesOptions {
  services: AppServices;
  /** Submits allowed per client IP and order in a window (default 10 a minute). */
  submitLimit?: { max: number; windowMs: number };
}

export const CASHIER_BODY_LIMIT = 8 * 1024;

const PREPAY_ID = /^[A-Za-z0-9_-]{1,128}$/;

export interface CashierErrorBody {
  error: { code: string; message: string; field: string | null };
}

export async function cashierRoutes(app: FastifyInstance, opts: CashierRoutesOptions): Promise<void> {
  const { services } = opts;
  // Submits per client and order; shared by every replica through Redis when REDIS_URL is set.
  const limiter = windowLimiter({
    name: 'cashier-submit',
    limit: opts.submitLimit?.max ?? 10,
    windowMs: opts.submitLimit?.windowMs ?? 60_000,
    redisUrl: services.config.REDIS_URL,
  });

  // The page's JSON, and a form posted without JavaScript (this plugin's scope only). Both refuse text
  // that is not clean UTF-8 (NUL, lone surrogates, undecodable bytes) with INVALID_PARAMETER naming the
  // field, before anything is looked up.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: CASHIER_BODY_LIMIT }, (_request, body, done) => {
    try {
      done(null, parseJsonObjectBody(body as Buffer).parsed);
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer', bodyLimit: CASHIER_BODY_LIMIT }, (_request, body, done) => {
    try {
      done(null, parseFormBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (!request.url.startsWith('/pay/api/')) {
      services.log.error({ err: error, requestId: request.id }, 'cashier page failed');
      const nonce = newNonce();
      pageHeaders(reply, nonce);
      return reply.status(500).send(renderMessagePage({ lang: requestLang(request), nonce, title: 'page.errorTitle', body: 'page.errorBody' }));
    }
    apiHeaders(reply);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendApiError(reply, 413, 'BODY_TOO_LARGE', `body larger than ${CASHIER_BODY_LIMIT} bytes`);
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
      return sendApiError(reply, 400, 'INVALID_JSON', 'body is not valid JSON');
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendApiError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json');
    if (isDomainError(error)) return sendDomainError(request, reply, error);
    services.log.error({ err: error, requestId: request.id }, 'cashier API failed');
    return sendApiError(reply, 500, 'INTERNAL', `internal error, quote ${request.id}`);
  });

  // ---- the page
  app.get<{ Querystring: Record<string, string | string[] | undefined> }>(CASHIER_PATHS.page, async (request, reply) => {
    const nonce = newNonce();
    pageHeaders(reply, nonce);
    const explicit = cashierLang(single(request.query.lang));
    const prepayId = single(request.query.prepay_id);
    const notFound = () =>
      reply.status(404).send(renderMessagePage({ lang: explicit ?? requestLang(request), nonce, title: 'page.notFoundTitle', body: 'page.notFoundBody' }));
    if (!prepayId || !PREPAY_ID.test(prepayId)) return notFound();

    let view: CashierView;
    try {
      view = await getPayinForCashier(services.prisma, prepayId);
    } catch (error) {
      if (isDomainError(error, 'ORDER_NOT_FOUND')) return notFound();
      throw error;
    }
    const lang: CashierLang = explicit ?? (view.locale === 'zh_cn' ? 'zh' : 'en');
    const errorCode = single(request.query.error);
    const error = errorCode && /^[A-Z_]{1,40}$/.test(errorCode) ? { code: errorCode, field: asPayerField(single(request.query.field)) } : null;
    const page = cashierPage({ view, lang, langExplicit: explicit !== null, error });
    const qrText = page.instructions?.qrText;
    const qr = qrText ? await qrDataUrl(qrText).catch(() => null) : null;
    return reply.send(renderCashierPage(page, { nonce, qr }));
  });

  // ---- live status
  app.get<{ Params: { prepayId: string } }>('/pay/api/order/:prepayId', async (request, reply) => {
    apiHeaders(reply);
    const { prepayId } = request.params;
    if (!PREPAY_ID.test(prepayId)) return sendApiError(reply, 404, 'ORDER_NOT_FOUND', 'order not found');
    try {
      return await getCashierStatus(services.prisma, prepayId);
    } catch (error) {
      return sendDomainError(request, reply, error);
    }
  });

  // ---- "I have paid"
  app.post<{ Params: { prepayId: string } }>('/pay/api/order/:prepayId/submit', { bodyLimit: CASHIER_BODY_LIMIT }, async (request, reply) => {
    apiHeaders(reply);
    const { prepayId } = request.params;
    const form = isFormPost(request);
    const fail = (status: number, code: string, message: string, field: string | null = null) => {
      if (!form || !PREPAY_ID.test(prepayId)) return sendApiError(reply, status, code, message, field);
      const query = new URLSearchParams({ prepay_id: prepayId, error: code });
      if (field) query.set('field', field);
      const lang = cashierLang(typeof (request.body as Record<string, unknown> | undefined)?.lang === 'string' ? String((request.body as Record<string, unknown>).lang) : null);
      if (lang) query.set('lang', lang);
      return reply.redirect(`${CASHIER_PATHS.page}?${query}`, 303);
    };

    if (!PREPAY_ID.test(prepayId)) return fail(404, 'ORDER_NOT_FOUND', 'order not found');
    const gate = await limiter.hit(`${request.ip}|${prepayId}`);
    if (!gate.allowed) {
      reply.header('Retry-After', String(gate.retryAfterSeconds));
      return fail(429, 'RATE_LIMITED', `too many submissions; try again in ${gate.retryAfterSeconds} s`);
    }

    const body = request.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) return fail(400, 'INVALID_PARAMETER', 'body: must be a JSON object', 'body');

    try {
      const result = await submitPayer(services, { prepayId, payer: payerFieldsOf(body as Record<string, unknown>) });
      if (form) {
        const lang = cashierLang(String((body as Record<string, unknown>).lang ?? ''));
        return reply.redirect(`${CASHIER_PATHS.page}?${new URLSearchParams({ prepay_id: prepayId, ...(lang ? { lang } : {}) })}`, 303);
      }
      return toCashierStatus(result.object);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const mapped = mapDomainError(error);
      if (mapped.status >= 500) services.log.error({ err: error, requestId: request.id }, 'cashier submit failed');
      return fail(mapped.status, mapped.code, mapped.message, mapped.field);
    }
  });
}

/**
 * `application/x-www-form-urlencoded` as a browser sends it (UTF-8, percent-escapes, `+` for space),
 * strictly: undecodable bytes or escapes, NUL and lone surrogates are INVALID_PARAMETER naming the field.
 */
function parseFormBody(bytes: Uint8Array): Record<string, string> {
  const { text, valid } = decodeUtf8(bytes);
  if (!valid) throw new DomainError('INVALID_PARAMETER', `body ${describeProblem('LONE_SURROGATE')}`, { field: 'body' });
  const form: Record<string, string> = {};
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const key = decodeFormComponent(rawKey, null);
    const value = decodeFormComponent(eq < 0 ? '' : pair.slice(eq + 1), key);
    Object.defineProperty(form, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return form;
}

/** One percent-encoded component; `field` null when it is a key (then the key names itself, or `body` when it cannot be decoded). */
function decodeFormComponent(raw: string, field: string | null): string {
  const refuse = (name: string, problem: DirtyProblem) => {
    const printable = printableField(name);
    return new DomainError('INVALID_PARAMETER', `${printable} ${describeProblem(problem)}`, { field: printable });
  };
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw refuse(field ?? 'body', 'LONE_SURROGATE'); // escapes that are not UTF-8
  }
  const problem = dirtyProblem(decoded);
  if (problem) throw refuse(field ?? decoded, problem);
  return decoded;
}

/** Only the payer fields, trimmed; a card/account number loses its spaces and dashes. Non-strings pass on to be refused. */
function payerFieldsOf(body: Record<string, unknown>): Record<string, unknown> {
  const payer: Record<string, unknown> = {};
  for (const field of PAYER_FIELDS) {
    if (!Object.prototype.hasOwnProperty.call(body, field)) continue;
    let value = body[field];
    if (typeof value === 'string') {
      value = value.trim();
      if (field === 'payer_account') value = (value as string).replace(/[\s-]/g, '');
    }
    payer[field] = value;
  }
  return payer;
}

/**
 * The refusals a payer can meet, with the HTTP status the merchant API gives the same codes
 * (rest/error-table.ts); any other domain error is a fault of ours, answered 500 INTERNAL.
 */
const PAYER_ERROR_STATUS: ReadonlyMap<string, number> = new Map([
  ['INVALID_JSON', 400],
  ['INVALID_PARAMETER', 400],
  ['ORDER_NOT_FOUND', 404],
  ['INVALID_TRANSITION', 409],
  ['BODY_TOO_LARGE', 413],
  ['RISK_REJECTED', 422],
  ['RATE_LIMITED', 429],
]);

function mapDomainError(error: { code: string; message: string; details: Record<string, unknown> | undefined }) {
  const status = PAYER_ERROR_STATUS.get(error.code);
  if (status === undefined) return { status: 500, code: 'INTERNAL', message: 'internal error', field: null };
  const field = typeof error.details?.field === 'string' ? error.details.field : null;
  // A payer is not told which risk rule refused them.
  if (error.code === 'RISK_REJECTED') return { status, code: error.code, message: 'this payment cannot be accepted', field: 'payer_account' };
  return { status, code: error.code, message: error.message, field };
}

function sendDomainError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (!isDomainError(error)) throw error;
  const mapped = mapDomainError(error);
  if (mapped.status >= 500) request.log.error({ err: error }, 'cashier API failed');
  return sendApiError(reply, mapped.status, mapped.code, mapped.message, mapped.field);
}

function sendApiError(reply: FastifyReply, status: number, code: string, message: string, field: string | null = null) {
  return reply.status(status).send({ error: { code, message, field } } satisfies CashierErrorBody);
}

function isFormPost(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function newNonce(): string {
  return randomBytes(16).toString('base64');
}

function requestLang(request: FastifyRequest): CashierLang {
  const query = request.query as Record<string, string | string[] | undefined> | undefined;
  const explicit = cashierLang(single(query?.lang));
  if (explicit) return explicit;
  return /^\s*zh\b/i.test(request.headers['accept-language'] ?? '') ? 'zh' : 'en';
}

/** The page loads nothing from elsewhere: only its own nonce'd style and script, data: images, same-origin fetches. */
function pageHeaders(reply: FastifyReply, nonce: string): void {
  reply
    .type('text/html; charset=utf-8')
    .header(
      'Content-Security-Policy',
      [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        'img-src data:',
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    )
    .header('X-Frame-Options', 'DENY')
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Content-Type-Options', 'nosniff');
}

function apiHeaders(reply: FastifyReply): void {
  reply.header('Cache-Control', 'no-store').header('X-Content-Type-Options', 'nosniff');
}
