import { REST_ERRORS } from './error-table.ts';

/**
 * The OpenAPI 3.1 description of the merchant REST API (../shared/REST-CONTRACT.md), served at
 * /v1/openapi.json and rendered at /v1/docs. Written by hand so it says exactly what the contract says.
 */

const ERROR_MEANINGS: Record<number, string> = {
  40001: 'body is not valid JSON / not an object',
  40002: 'a parameter is missing or invalid (`data.field` names it); also any string or key with NUL, a lone surrogate or bytes that are not UTF-8, and bodies nesting deeper than 32 levels',
  40003: 'amount outside the available range (`data.min`, `data.max`; null = no limit)',
  40004: 'service, currency or chain not available to this merchant',
  40101: 'missing or malformed `Authorization` / `app_id`',
  40102: 'signature does not verify',
  40103: 'timestamp outside the allowed window (±300 s)',
  40104: 'nonce already used (15-minute window)',
  40105: 'unknown or disabled app',
  40301: "client IP not in the app's whitelist",
  40302: '`mch_id` does not belong to the app, or merchant suspended',
  40401: 'order or payout not found',
  40901: '`out_trade_no` reused with different parameters',
  40902: 'not allowed in the current status (e.g. closing a paid order)',
  40903: 'insufficient available balance',
  41301: 'body too large (64 KiB)',
  42201: 'refused by a risk rule',
  42901: 'rate limit exceeded',
  50001: 'internal error (quote `request_id`)',
  50301: 'no channel can take this order now',
};

export function errorCodeTable(): Array<{ code: number; status: number; meaning: string }> {
  const seen = new Map<number, number>();
  for (const { code, status } of Object.values(REST_ERRORS)) seen.set(code, status);
  return [...seen].sort(([a], [b]) => a - b).map(([code, status]) => ({ code, status, meaning: ERROR_MEANINGS[code] ?? '' }));
}

const str = (description: string, extra: Record<string, unknown> = {}) => ({ type: 'string', description, ...extra });
const amount = (description: string) => ({
  oneOf: [{ type: 'string', pattern: '^\\d+(\\.\\d+)?$' }, { type: 'number' }],
  description: `${description} Decimal string (recommended) or JSON number; no more fractional digits than the currency has.`,
});

const envelope = (data: unknown) => ({
  type: 'object',
  required: ['code', 'msg', 'request_id', 'data'],
  properties: {
    code: { type: 'integer', description: '0 on success, else an error code' },
    msg: { type: 'string' },
    request_id: { type: 'string', format: 'uuid' },
    data,
  },
});

const orderObject = {
  type: 'object',
  properties: {
    mch_id: str('Merchant id'),
    out_trade_no: str('Merchant order number'),
    order_no: str('Platform order number'),
    prepay_id: str('Prepayment id'),
    status: { type: 'string', enum: ['PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CLOSED', 'REVERSED'] },
    amount: str('Order amount, e.g. "150.00"'),
    paid_amount: str('Sum of received payments'),
    fee: str('Fee charged'),
    currency: str('Currency code'),
    chain: { type: ['string', 'null'] },
    service: str('Service code'),
    attach: { type: ['string', 'null'] },
    test: { type: 'boolean' },
    created_at: str('ISO 8601 UTC', { format: 'date-time' }),
    paid_at: { type: ['string', 'null'], format: 'date-time' },
    expire_at: str('ISO 8601 UTC', { format: 'date-time' }),
    payments: {
      type: 'array',
      items: { type: 'object', properties: { amount: { type: 'string' }, txn_id: { type: 'string' }, paid_at: { type: 'string', format: 'date-time' } } },
    },
    sequence: { type: 'integer', description: 'Increases with every status change' },
  },
};

const payoutObject = {
  type: 'object',
  properties: {
    mch_id: str('Merchant id'),
    out_trade_no: str('Merchant payout number'),
    payout_no: str('Platform payout number'),
    status: { type: 'string', enum: ['PENDING', 'REVIEW', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'REJECTED', 'REVERSED'] },
    amount: str('Payout amount'),
    fee: str('Fee charged'),
    currency: str('Currency code'),
    chain: { type: ['string', 'null'] },
    service: str('Service code'),
    attach: { type: ['string', 'null'] },
    test: { type: 'boolean' },
    created_at: str('ISO 8601 UTC', { format: 'date-time' }),
    finished_at: { type: ['string', 'null'], format: 'date-time' },
    sequence: { type: 'integer' },
  },
};

const prepaymentBody = {
  type: 'object',
  required: ['mch_id', 'out_trade_no', 'expire_second', 'amount', 'currency', 'order_type'],
  properties: {
    mch_id: str('Merchant id, e.g. 1234567890'),
    description: str('Order description (≤ 256)'),
    out_trade_no: str('Merchant order number, 1–64 of [A-Za-z0-9_-]; idempotency key per merchant'),
    expire_second: { type: 'integer', minimum: 60, maximum: 86400 },
    amount: amount('Order amount.'),
    chain: str('Blockchain for crypto currencies, e.g. TRON'),
    currency: str('Currency, e.g. THB, USDT'),
    to_address: str('Collection wallet (required for merchant_order)'),
    attach: str('Returned as-is (≤ 512)'),
    locale: { type: 'string', enum: ['zh_cn', 'en'] },
    notify_url: str('Callback URL (http/https)'),
    return_url: str('Return address after payment (http/https)'),
    order_type: { type: 'string', enum: ['platform_order', 'merchant_order'] },
    service: str('Service code, e.g. THB_BANK; optional when currency+chain select one service'),
    user_id: str("The payer's id in the merchant's system"),
    payer_name: str('Required by some services'),
    payer_account: str('Card/account number; required by some services'),
    bank_code: str('Required by Thai, Vietnamese, Indonesian bank services'),
    payer_phone: str('Required by some services'),
    payer_id_number: str('Required by some services'),
    remark_code: str('Required by CNY bank card'),
  },
};

const payoutBody = {
  type: 'object',
  required: ['mch_id', 'out_trade_no', 'amount', 'currency'],
  properties: {
    mch_id: str('Merchant id'),
    out_trade_no: str('Merchant payout number; idempotency key per merchant'),
    amount: amount('Payout amount.'),
    currency: str('Currency'),
    chain: str('Blockchain for crypto'),
    service: str('Service code'),
    recipient_name: str('Recipient name'),
    recipient_account: str('Bank account or wallet address'),
    bank_code: str('Bank code'),
    recipient_phone: str('Phone'),
    recipient_id_number: str('ID number'),
    description: str('Description'),
    attach: str('Returned as-is'),
    notify_url: str('Callback URL'),
  },
};

const queryBody = (idField: string) => ({
  type: 'object',
  required: ['mch_id'],
  properties: { mch_id: str('Merchant id'), out_trade_no: str('Merchant number'), [idField]: str(`or ${idField}`) },
});

const op = (summary: string, body: unknown, data: unknown, description = '') => ({
  summary,
  description,
  security: [{ payrailSignature: [], appId: [] }],
  ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
  responses: {
    '200': { description: 'Success (code 0)', content: { 'application/json': { schema: envelope(data) } } },
    default: { description: 'Error: see the error code table', content: { 'application/json': { schema: envelope({ type: ['object', 'null'] }) } } },
  },
});

export function openApiDocument(serverUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Payrail merchant API',
      version: '1.0.0',
      description:
        'The API merchants\' servers call. Every request carries the `app_id` header and a `PAYRAIL-SHA256-RSA2048` ' +
        'Authorization header: an RSASSA-PKCS1-v1_5/SHA-256 signature by the merchant key over ' +
        '`METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n`. Responses and callbacks carry Payrail-Timestamp, ' +
        'Payrail-Nonce, Payrail-Serial and Payrail-Signature over `TIMESTAMP\\nNONCE\\nBODY\\n` by the platform key.\n\n' +
        'Error codes:\n\n| code | HTTP | meaning |\n|---|---|---|\n' +
        errorCodeTable().map((e) => `| ${e.code} | ${e.status} | ${e.meaning} |`).join('\n'),
    },
    servers: [{ url: `${serverUrl}/v1` }],
    components: {
      securitySchemes: {
        appId: { type: 'apiKey', in: 'header', name: 'app_id' },
        payrailSignature: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'PAYRAIL-SHA256-RSA2048 timestamp="…",nonce="…",serial="…",signature="…"' },
      },
      schemas: { Order: orderObject, Payout: payoutObject },
    },
    paths: {
      '/transaction/prepayment': {
        post: op('Create a payin order', prepaymentBody, {
          type: 'object',
          properties: {
            prepay_id: { type: 'string' },
            payment_url: { type: 'string' },
            order_no: { type: 'string' },
            status: { type: 'string' },
            amount: { type: 'string' },
            currency: { type: 'string' },
            expire_at: { type: 'string', format: 'date-time' },
          },
        }, 'Idempotent per (mch_id, out_trade_no): the same parameters return the same order; different ones answer 40901.'),
      },
      '/transaction/query': { post: op('Query a payin order by out_trade_no or prepay_id', queryBody('prepay_id'), { $ref: '#/components/schemas/Order' }) },
      '/transaction/close': { post: op('Close an unpaid order', queryBody('prepay_id'), { $ref: '#/components/schemas/Order' }) },
      '/payout/create': { post: op('Create a payout', payoutBody, { $ref: '#/components/schemas/Payout' }) },
      '/payout/query': { post: op('Query a payout by out_trade_no or payout_no', queryBody('payout_no'), { $ref: '#/components/schemas/Payout' }) },
      '/balance/query': {
        post: op('Balances per currency', { type: 'object', required: ['mch_id'], properties: { mch_id: str('Merchant id'), currency: str('Only this currency') } }, {
          type: 'array',
          items: { type: 'object', properties: { currency: { type: 'string' }, available: { type: 'string' }, pending: { type: 'string' }, frozen: { type: 'string' }, total: { type: 'string' } } },
        }),
      },
      '/platform/certificates': {
        get: op('Platform public keys for this app', null, {
          type: 'array',
          items: { type: 'object', properties: { serial: { type: 'string' }, public_key_pem: { type: 'string' }, effective_at: { type: 'string' }, expires_at: { type: ['string', 'null'] } } },
        }),
      },
    },
    webhooks: {
      statusChanged: {
        post: {
          summary: 'Status callback to notify_url (payin.status_changed / payout.status_changed)',
          description:
            'Signed like responses. Any 2xx acknowledges; otherwise retried after about 15 s, 1 min, 5 min, 15 min, 1 h, 3 h, 6 h, 12 h and 24 h. ' +
            'Callbacks of one order arrive in `sequence` order; ignore a sequence lower than one already processed.',
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    event_id: { type: 'string' },
                    event_type: { type: 'string', enum: ['payin.status_changed', 'payout.status_changed'] },
                    created_at: { type: 'string', format: 'date-time' },
                    data: { oneOf: [{ $ref: '#/components/schemas/Order' }, { $ref: '#/components/schemas/Payout' }] },
                  },
                },
              },
            },
          },
          responses: { '200': { description: 'Acknowledged' } },
        },
      },
    },
  };
}

/** A self-contained reference page rendered from the document (no scripts, no external assets). */
export function referencePage(doc: Record<string, unknown>): string {
  const info = doc.info as { title: string; description: string };
  const paths = doc.paths as Record<string, Record<string, { summary: string; description?: string; requestBody?: { content: Record<string, { schema: { properties?: Record<string, { description?: string; type?: unknown; enum?: string[] }>; required?: string[] } }> } }>>;
  const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  const sections = Object.entries(paths).map(([path, methods]) =>
    Object.entries(methods).map(([method, o]) => {
      const schema = o.requestBody?.content['application/json']?.schema;
      const rows = Object.entries(schema?.properties ?? {})
        .map(([name, p]) => `<tr><td><code>${esc(name)}</code></td><td>${schema?.required?.includes(name) ? 'yes' : ''}</td><td>${esc(p.enum ? p.enum.join(' | ') : (p.description ?? ''))}</td></tr>`)
        .join('');
      return `<section><h2><span class="m">${method.toUpperCase()}</span> /v1${esc(path)}</h2><p>${esc(o.summary)}</p>${o.description ? `<p>${esc(o.description)}</p>` : ''}${rows ? `<table><tr><th>field</th><th>required</th><th>description</th></tr>${rows}</table>` : ''}</section>`;
    }).join(''),
  ).join('');
  const errors = errorCodeTable().map((e) => `<tr><td>${e.code}</td><td>${e.status}</td><td>${esc(e.meaning)}</td></tr>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2329}h2{font-size:1.1rem;margin-top:2rem}
.m{background:#18a058;color:#fff;border-radius:4px;padding:0 .4rem;margin-right:.4rem;font-size:.85rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #e5e6eb;padding:.35rem .5rem;text-align:left;vertical-align:top}code{background:#f2f3f5;padding:0 .25rem;border-radius:3px}</style></head>
<body><h1>${esc(info.title)}</h1><p>Machine-readable: <a href="/v1/openapi.json">/v1/openapi.json</a></p>
<p>${esc(info.description.split('\n\n')[0] ?? '')}</p>${sections}<h2>Error codes</h2><table><tr><th>code</th><th>HTTP</th><th>meaning</th></tr>${errors}</table></body></html>`;
}
