import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Merchant } from '../src/generated/prisma/client.ts';
import { closePayin } from '../src/modules/payins/operations/close-payin.ts';
import { createPayin, type CreatePayinInput } from '../src/modules/payins/operations/create-payin.ts';
import { expirePayins } from '../src/modules/payins/operations/expire-payins.ts';
import { activateService, bindChannel, createChannel, createMerchant, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * cashier e2e: the hosted payment page and its JSON API over real HTTP, on a real database, with the
 * platform's worker delivering the sandbox upstream's callbacks.
 */

let env: TestEnvironment;
let base: string;
let merchant: Merchant;

const SECRET = 'cashier-e2e-secret';

beforeAll(async () => {
  env = await createTestEnvironment({ worker: true });

  base = env.url;
  env.services.config.publicUrl = env.url;

  const p = env.prisma;
  await ensureCurrency(p, 'THB', 2);
  await ensureCurrency(p, 'USDT', 6, true);
  merchant = await createMerchant(p, 'Acme & Sons <i>Shop</i>');
  const settings = { delayMs: 300, successRate: 1 };

  const thb = await createService(p, { code: 'THB_BANK', name: 'THB bank transfer', currencyCode: 'THB', requiredFields: ['payer_name', 'payer_account', 'bank_code'] });
  await activateService(p, merchant.id, thb.id);
  const thbChannel = await createChannel(p, { code: 'SBX_CASHIER_THB', currencyCode: 'THB', settings }, { secrets: env.services.secrets, secret: SECRET });
  await bindChannel(p, thbChannel.id, thb.id);

  const usdt = await createService(p, { code: 'USDT_TRC20', name: 'USDT TRC20', currencyCode: 'USDT', chain: 'TRON', kind: 'CRYPTO' });
  await activateService(p, merchant.id, usdt.id);
  const usdtChannel = await createChannel(p, { code: 'SBX_CASHIER_USDT', currencyCode: 'USDT', settings }, { secrets: env.services.secrets, secret: SECRET });
  await bindChannel(p, usdtChannel.id, usdt.id);
});

afterAll(async () => {
  await env?.stop();
});

let serial = 0;
/**
 * A payin order. create-payin insists on the service's required payer fields, so a THB order is
 * created with them and then, unless `payerGiven`, has them cleared: the cashier must collect them
 * (an order whose payer details are still missing, which is what the form is for).
 */
async function createOrder(params: Record<string, unknown> = {}, opts: { payerGiven?: boolean } = {}) {
  const thb = (params.service ?? 'THB_BANK') === 'THB_BANK';
  const { order } = await createPayin(env.services, {
    merchantId: merchant.id,
    mchId: merchant.mchId,
    appDbId: null,
    test: true,
    defaultNotifyUrl: null,
    creationType: 'MANUAL',
    params: {
      out_trade_no: `CASHIER-${Date.now()}-${++serial}`,
      amount: '1500.00',
      currency: 'THB',
      service: 'THB_BANK',
      ...(thb ? { payer_name: 'Given Name', payer_account: '9999999999', bank_code: 'SCB' } : {}),
      ...params,
    },
  } satisfies CreatePayinInput);
  if (!thb || opts.payerGiven) return order;
  return env.prisma.order.update({ where: { id: order.id }, data: { payerName: null, payerAccount: null, bankCode: null } });
}

const pageUrl = (prepayId: string, query = '') => `${base}/pay/order?prepay_id=${encodeURIComponent(prepayId)}${query}`;
const statusUrl = (prepayId: string) => `${base}/pay/api/order/${prepayId}`;

async function getPage(prepayId: string, query = '') {
  const response = await fetch(pageUrl(prepayId, query), { redirect: 'manual' });
  return { response, html: await response.text() };
}

function submit(prepayId: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return fetch(`${base}/pay/api/order/${prepayId}/submit`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    redirect: 'manual',
  });
}

const validPayer = { payer_name: 'Somchai Jaidee', payer_account: '1234 5678 9012', bank_code: 'KBANK' };

async function waitForStatus(prepayId: string, wanted: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const body = (await (await fetch(statusUrl(prepayId))).json()) as { status: string };
    if (body.status === wanted) return body;
    if (Date.now() > until) throw new Error(`status stayed ${body.status}, expected ${wanted}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function instructionsOf(order: { instructions: unknown }) {
  return order.instructions as Record<string, string>;
}

describe('cashier page', () => {
  it('renders a pending bank order: amount, currency, countdown, required fields, instructions, return link', async () => {
    const order = await createOrder({
      description: 'Top-up 42',
      return_url: 'https://shop.example/return?id=42',
      attach: 'PRIVATE-ATTACH-VALUE',
      notify_url: 'https://merchant.example/notify-private',
      expire_second: 1800,
    });
    const { response, html } = await getPage(order.prepayId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');

    // A strict CSP whose nonce is the one on the inline style and script; no other executable script.
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src 'nonce-${nonce}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain(`<style nonce="${nonce}">`);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).toEqual(['<script type="application/json" id="cashier-config">', `<script nonce="${nonce}">`]);
    expect(html).not.toMatch(/<(link|iframe)\b|src="http|href="\/\//);
    const second = await fetch(pageUrl(order.prepayId));
    expect(second.headers.get('content-security-policy')).not.toContain(nonce!); // per response

    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Amount due');
    expect(html).toContain('<span class="value" id="amount">1,500.00</span> <span class="currency">THB</span>');
    expect(html).toContain(order.orderNo);
    expect(html).toContain('Top-up 42');
    // countdown: about 30 minutes left, with its deadline
    expect(html).toMatch(/<time id="countdown" datetime="[^"]+">(29|30):\d\d<\/time>/);
    expect(html).toContain('Awaiting payment');
    // the required payer fields (seed 001, Thai service: name, card number, bank code select)
    expect(html).toContain('id="payer-form"');
    expect(html).toMatch(/<input type="text" id="f-payer_name" name="payer_name" required maxlength="128"/);
    expect(html).toMatch(/<input type="text" id="f-payer_account" name="payer_account" required maxlength="64"[^>]*inputmode="numeric"/);
    expect(html).toMatch(/<select id="f-bank_code" name="bank_code" required/);
    expect(html).toContain('<option value="KBANK">KBANK — Kasikornbank</option>');
    expect(html).toContain('<option value="SCB">');
    expect(html).not.toContain('name="payer_phone"');
    expect(html).toContain('>I have paid</button>');
    // bank instructions from the sandbox connector
    const ins = instructionsOf(order);
    expect(html).toContain('Transfer to this account');
    expect(html).toContain(ins.bankName!);
    expect(html).toContain(ins.accountNumber!);
    expect(html).toContain(ins.reference!);
    expect(html).toContain(`data-copy="${ins.accountNumber}"`);
    // return button (secondary while open)
    expect(html).toContain('<a class="btn secondary" id="return" href="https://shop.example/return?id=42" rel="noopener noreferrer">Return to merchant</a>');
    // nothing merchant-private
    expect(html).not.toContain('PRIVATE-ATTACH-VALUE');
    expect(html).not.toContain('notify-private');
    expect(html).not.toContain(merchant.mchId);
  });

  it('speaks Chinese for a zh_cn order and switches language with ?lang=', async () => {
    const zhOrder = await createOrder({ locale: 'zh_cn' });
    const zh = await getPage(zhOrder.prepayId);
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(zh.html).toContain('应付金额');
    expect(zh.html).toContain('剩余支付时间');
    expect(zh.html).toContain('付款人姓名');
    expect(zh.html).toContain('请选择银行');
    expect(zh.html).toContain('请转账至以下账户');
    expect(zh.html).toContain('>我已付款</button>');
    expect(zh.html).toContain('1,500.00');

    const en = await getPage(zhOrder.prepayId, '&lang=en');
    expect(en.html).toContain('<html lang="en">');
    expect(en.html).toContain('Amount due');
    expect(en.html).not.toContain('应付金额');
    // the language links keep the order
    expect(en.html).toContain(`href="/pay/order?prepay_id=${zhOrder.prepayId}&#38;lang=zh" hreflang="zh-CN"`);

    const enOrder = await createOrder();
    expect((await getPage(enOrder.prepayId, '&lang=zh')).html).toContain('应付金额');
    expect((await getPage(enOrder.prepayId, '&lang=fr')).html).toContain('Amount due');
  });

  it('shows a crypto order with address, network, exact amount and a QR code drawn on the server', async () => {
    const order = await createOrder({ service: 'USDT_TRC20', currency: 'USDT', chain: 'TRON', amount: '9.5' });
    const { response, html } = await getPage(order.prepayId);
    expect(response.status).toBe(200);
    const ins = instructionsOf(order);
    expect(ins.type).toBe('crypto');
    expect(html).toContain('Send exactly this amount');
    expect(html).toContain(ins.address!);
    expect(html).toContain(`data-copy="${ins.address}"`);
    expect(html).toContain('TRON');
    expect(html).toContain('9.500000 USDT');
    expect(html).toContain('data-copy="9.500000"');
    expect(html).toContain('Send only USDT on the TRON network');
    const qr = /<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="[^"]+" width="200" height="200">/.exec(html);
    expect(qr).not.toBeNull();
    const svg = Buffer.from(qr![1]!, 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<path');
    // a crypto service requires no payer fields: the form is only the button
    expect(html).toContain('id="payer-form"');
    expect(html).not.toContain('name="payer_name"');
    // the bank order has no QR
    expect((await getPage((await createOrder()).prepayId)).html).not.toContain('data:image/svg+xml');
  });

  it('escapes everything that comes from the order (XSS)', async () => {
    const order = await createOrder({
      description: '<script>alert("xss")</script><img src=x onerror=alert(1)>',
      attach: '<script>alert("attach")</script>',
      return_url: 'https://shop.example/back?a="><script>alert(2)</script>',
    });
    const { html } = await getPage(order.prepayId);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('alert("attach")');
    expect(html).toContain('&#60;script&#62;alert(&#34;xss&#34;)&#60;/script&#62;&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('Pay Acme &#38; Sons &#60;i&#62;Shop&#60;/i&#62;');
    // the return URL is an attribute value: quotes and angle brackets cannot break out
    const href = /id="return" href="([^"]*)"/.exec(html)?.[1] ?? '';
    expect(href).not.toMatch(/[<>"]/);
    // the config block cannot close its script element
    const config = /<script type="application\/json" id="cashier-config">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(config).not.toContain('<');
    expect(JSON.parse(config)).toMatchObject({ status: 'PENDING', fields: ['payer_name', 'payer_account', 'bank_code'] });

    // nothing from the query string is reflected
    const probe = await fetch(`${base}/pay/order?prepay_id=${encodeURIComponent('<script>alert(3)</script>')}&lang=${encodeURIComponent('"><script>')}`);
    expect(probe.status).toBe(404);
    const probeHtml = await probe.text();
    expect(probeHtml).not.toContain('alert(3)');
    expect(probeHtml).not.toContain('"><script>');
    const withError = await getPage(order.prepayId, `&error=${encodeURIComponent('<b>x</b>')}&field=${encodeURIComponent('<i>')}`);
    expect(withError.html).not.toContain('<b>x</b>');
    expect(withError.html).not.toContain('<i>');
  });

  it('answers an unknown or missing prepay id with a 404 page in the same style', async () => {
    for (const url of [`${base}/pay/order?prepay_id=${'ab'.repeat(32)}`, `${base}/pay/order`, `${base}/pay/order?prepay_id=`]) {
      const response = await fetch(url);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const html = await response.text();
      expect(html).toContain('Order not found');
      expect(html).toContain('class="card"');
      expect(html).not.toContain('id="payer-form"');
    }
    const zh = await fetch(`${base}/pay/order?prepay_id=nope&lang=zh`);
    expect(await zh.text()).toContain('订单不存在');
  });
});

describe('cashier API', () => {
  it('status: only payer-safe fields; 404 JSON for an unknown order', async () => {
    const order = await createOrder({ attach: 'secret', notify_url: 'https://merchant.example/n' });
    const response = await fetch(statusUrl(order.prepayId));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['amount', 'currency', 'expire_at', 'paid_amount', 'seconds_left', 'sequence', 'status']);
    expect(body).toMatchObject({ status: 'PENDING', amount: '1500.00', paid_amount: '0.00', currency: 'THB', expire_at: order.expireAt.toISOString(), sequence: order.sequence });
    expect(typeof body.amount).toBe('string');
    expect(body.seconds_left).toBeGreaterThan(3000);

    const missing = await fetch(statusUrl('ab'.repeat(32)));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'ORDER_NOT_FOUND', message: 'order not found', field: null } });
  });

  it('submit: missing or malformed payer fields → 400 naming the field; the order stays PENDING', async () => {
    const order = await createOrder();
    const cases: Array<[unknown, string]> = [
      [{}, 'payer_name'],
      [{ payer_name: 'Somchai' }, 'payer_account'],
      [{ payer_name: 'Somchai', payer_account: '123456789' }, 'bank_code'],
      [{ payer_name: '   ', payer_account: '123456789', bank_code: 'KBANK' }, 'payer_name'],
      [{ ...validPayer, payer_name: 42 }, 'payer_name'],
      [{ ...validPayer, bank_code: 'X'.repeat(33) }, 'bank_code'],
    ];
    for (const [body, field] of cases) {
      const response = await submit(order.prepayId, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const json = (await response.json()) as { error: { code: string; field: string; message: string } };
      expect(json.error).toMatchObject({ code: 'INVALID_PARAMETER', field });
    }
    const notJson = await submit(order.prepayId, '{"payer_name":');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe('INVALID_JSON');
    const array = await submit(order.prepayId, [validPayer]);
    expect(array.status).toBe(400);
    const tooLarge = await submit(order.prepayId, { ...validPayer, padding: 'x'.repeat(9 * 1024) });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { code: string } }).error.code).toBe('BODY_TOO_LARGE');

    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('PENDING');
    const unknown = await submit('ab'.repeat(32), validPayer);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('ORDER_NOT_FOUND');
  });

  it('a valid submit moves the order to PROCESSING, and the sandbox upstream makes it SUCCEEDED', async () => {
    const order = await createOrder({ return_url: 'https://shop.example/done' });
    const response = await submit(order.prepayId, validPayer);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['amount', 'currency', 'expire_at', 'paid_amount', 'seconds_left', 'sequence', 'status']);
    expect(body).toMatchObject({ status: 'PROCESSING', amount: '1500.00', currency: 'THB' });
    expect(body.sequence).toBeGreaterThan(order.sequence);
    const stored = await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(stored).toMatchObject({ status: 'PROCESSING', payerName: 'Somchai Jaidee', payerAccount: '123456789012', bankCode: 'KBANK' });

    // while PROCESSING: no form, the instructions stay, the status says it is being confirmed
    const processing = await getPage(order.prepayId);
    expect(processing.html).toContain('Confirming your payment');
    expect(processing.html).not.toContain('id="payer-form"');
    expect(processing.html).toContain('id="instructions"');

    // a second submit is refused
    const again = await submit(order.prepayId, validPayer);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('INVALID_TRANSITION');

    // the sandbox calls back after its delay; the status API shows the result
    const done = (await waitForStatus(order.prepayId, 'SUCCEEDED')) as Record<string, unknown>;
    expect(done).toMatchObject({ status: 'SUCCEEDED', paid_amount: '1500.00', seconds_left: 0 });
    expect(done.sequence).toBeGreaterThan(body.sequence as number);

    const paid = await getPage(order.prepayId);
    expect(paid.html).toContain('data-status="SUCCEEDED"');
    expect(paid.html).toContain('Your payment has been received');
    expect(paid.html).not.toContain('id="payer-form"');
    expect(paid.html).not.toContain('id="instructions"');
    expect(paid.html).not.toContain(instructionsOf(order).accountNumber!);
    expect(paid.html).toContain('<a class="btn primary" id="return" href="https://shop.example/done"');
  });

  it('works without JavaScript: a plain form post redirects back to the page, with the error when there is one', async () => {
    const order = await createOrder({ locale: 'zh_cn' });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const bad = await submit(order.prepayId, new URLSearchParams({ payer_name: 'Somchai', payer_account: '', bank_code: 'KBANK', lang: '' }).toString(), form);
    expect(bad.status).toBe(303);
    const location = bad.headers.get('location') ?? '';
    expect(location).toBe(`/pay/order?prepay_id=${order.prepayId}&error=INVALID_PARAMETER&field=payer_account`);
    const page = await fetch(`${base}${location}`);
    const html = await page.text();
    expect(html).toContain('<div class="field invalid" data-field="payer_account">');
    expect(html).toContain('此项为必填');

    const ok = await submit(order.prepayId, new URLSearchParams({ ...validPayer, lang: 'en' }).toString(), form);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/pay/order?prepay_id=${order.prepayId}&lang=en`);
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('PROCESSING');
  });

  it("checks the payer's account against the blocked-account risk rules: REJECT refuses without naming the rule, REVIEW flags the order", async () => {
    const reject = await env.prisma.riskRule.create({
      data: { name: 'mule ring 7', direction: 'PAYIN', kind: 'BLOCKED_ACCOUNT', value: '5555 0000 7777', action: 'REJECT' },
    });
    const review = await env.prisma.riskRule.create({
      data: { name: 'watch this account', direction: 'PAYIN', kind: 'BLOCKED_ACCOUNT', value: '4444 0000 8888', action: 'REVIEW', merchantId: merchant.id },
    });
    try {
      const order = await createOrder();
      const refused = await submit(order.prepayId, { ...validPayer, payer_account: '5555 0000 7777' });
      expect(refused.status).toBe(422);
      const body = (await refused.json()) as { error: { code: string; message: string; field: string } };
      expect(body.error).toEqual({ code: 'RISK_REJECTED', message: 'this payment cannot be accepted', field: 'payer_account' });
      const unchanged = await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
      expect(unchanged).toMatchObject({ status: 'PENDING', payerAccount: null });
      // The page shows the payer a plain message in their language.
      const { html } = await getPage(order.prepayId, '&error=RISK_REJECTED&field=payer_account&lang=zh');
      expect(html).toContain('该账户不能用于本次付款');
      expect(html).not.toContain('mule ring 7');

      // Another account goes through; a watched one too, flagged on the timeline.
      const flagged = await createOrder();
      expect((await submit(flagged.prepayId, { ...validPayer, payer_account: '4444 0000 8888' })).status).toBe(200);
      const events = await env.prisma.orderEvent.findMany({ where: { orderId: flagged.id }, select: { type: true, data: true } });
      expect(events.find((e) => e.type === 'RISK_FLAGGED')?.data).toEqual({ rules: [{ id: review.id, name: 'watch this account', kind: 'BLOCKED_ACCOUNT' }] });
      expect((await submit(order.prepayId, validPayer)).status).toBe(200);
    } finally {
      await env.prisma.riskRule.deleteMany({ where: { id: { in: [reject.id, review.id] } } });
    }
  });

  it('rate-limits submits per client and order', async () => {
    const order = await createOrder();
    for (let i = 0; i < 10; i++) expect((await submit(order.prepayId, {})).status).toBe(400);
    const limited = await submit(order.prepayId, validPayer);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('PENDING');
    // another order is not affected
    const other = await createOrder();
    expect((await submit(other.prepayId, validPayer)).status).toBe(200);
  });
});

describe('finished orders', () => {
  function expectFinal(html: string, status: string, label: string) {
    expect(html).toContain(`data-status="${status}"`);
    expect(html).toContain(label);
    expect(html).not.toContain('id="payer-form"');
    expect(html).not.toContain('id="instructions"');
    expect(html).not.toContain('Transfer to this account');
    expect(html).toContain('id="countdown-box" hidden');
  }

  it('a closed order renders its state without form or instructions', async () => {
    const order = await createOrder({ return_url: 'https://shop.example/closed' });
    await closePayin(env.services, { merchantId: merchant.id, prepayId: order.prepayId, actor: { type: 'SYSTEM' } });
    const { response, html } = await getPage(order.prepayId);
    expect(response.status).toBe(200);
    expectFinal(html, 'CLOSED', 'The merchant has closed this order');
    expect(html).toContain('class="btn primary" id="return"');
    const zh = await getPage(order.prepayId, '&lang=zh');
    expectFinal(zh.html, 'CLOSED', '已关闭');
    expect(((await (await fetch(statusUrl(order.prepayId))).json()) as { status: string }).status).toBe('CLOSED');
    expect((await submit(order.prepayId, validPayer)).status).toBe(409);
  });

  it('an expired order renders its state, also while the expiry task has not run yet', async () => {
    const order = await createOrder();
    await env.prisma.order.update({ where: { id: order.id }, data: { expireAt: new Date(Date.now() - 1000) } });

    // past its expiry but still PENDING in the database: the payer sees it expired and cannot submit.
    // The worker's minute expiry task must not expire it meanwhile: it skips locked rows, so hold the row.
    await env.prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM orders WHERE id = ${order.id}::uuid FOR UPDATE`;
        expect((await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('PENDING');
        const early = await getPage(order.prepayId);
        expectFinal(early.html, 'EXPIRED', 'The time to pay this order has run out');
        const status = (await (await fetch(statusUrl(order.prepayId))).json()) as { status: string; seconds_left: number };
        expect(status.seconds_left).toBe(0);
      },
      { timeout: 20_000 },
    );
    const refused = await submit(order.prepayId, validPayer);
    expect(refused.status).toBe(409);

    await expirePayins(env.services);
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('EXPIRED');
    const { html } = await getPage(order.prepayId);
    expectFinal(html, 'EXPIRED', 'Expired');
    expect(((await (await fetch(statusUrl(order.prepayId))).json()) as { status: string }).status).toBe('EXPIRED');
  });
});
