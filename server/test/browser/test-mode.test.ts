import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundMerchant } from '../support/payout-fixtures.ts';
import { startAppEnvironment, type AppEnvironment } from './support/app-environment.ts';
import { openPage, screenshot } from './support/browser.ts';
import { settled, signIn } from './support/spa-actions.ts';
import { WEB_ROOT } from './support/web-build.ts';

/**
 * "Test data" in a real browser: the back office shows one book at a time. A merchant owner whose
 * live and test USD balances differ (1,111.00 and 2,222.00, nothing else moves them) sees only the live
 * balance, live payins and live fund requests by default; the header switch turns the whole app to the
 * test book under an orange banner (remembered on reload), where a recharge is a test request; the
 * banner's button and a `?mode=live` link bring it back. Screenshots of both modes in English and
 * Chinese.
 */


let app: AppEnvironment;
let merchant: { id: string; name: string };
let liveOrderNo: string;

beforeAll(async () => {
  app = await startAppEnvironment({ orders: 24 });
  const { prisma } = app.env;
  merchant = await prisma.merchant.findFirstOrThrow({ where: { name: 'Siam Digital Market' }, select: { id: true, name: true } });
  // USD: a currency the demo never moves for this merchant, so both books hold exactly what is put here.
  const channel = await prisma.channel.findFirstOrThrow({ where: { currencyCode: 'THB' }, select: { id: true } });
  await fundMerchant(prisma, merchant.id, channel.id, 'USD', 1_111_00n);
  await fundMerchant(prisma, merchant.id, channel.id, 'USD', 2_222_00n, { test: true });
  const live = await prisma.order.findFirstOrThrow({ where: { merchantId: merchant.id, test: false }, orderBy: { createdAt: 'desc' }, select: { orderNo: true } });
  liveOrderNo = live.orderNo;
}, 240_000);

afterAll(async () => {
  await app?.stop();
});

/** A test deposit created with the page's session through the SPA's own createTestPayin operation; its number. */
async function createTestDeposit(page: Page): Promise<string> {
  const documents = JSON.parse(await readFile(path.join(WEB_ROOT, 'src', 'gql', 'persisted-documents.json'), 'utf8')) as Record<string, string>;
  const query = Object.values(documents).find((source) => /mutation \w+\(\$input: CreateTestPayinInput!\)/.test(source) && source.includes('orderNo'));
  if (!query) throw new Error('the SPA has no createTestPayin operation (web/src/gql/persisted-documents.json)');
  const variables = { input: { merchantId: merchant.id, service: 'THB_BANK', amount: '432.00', outTradeNo: `TESTMODE-${Date.now()}`, payerName: 'Somchai Jaidee', payerAccount: '1234567890', bankCode: 'KBANK' } };
  const body = (await page.evaluate(
    async (request) => (await fetch('/graphql', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) })).json(),
    { query, variables },
  )) as { data?: { createTestPayin?: { payin: { orderNo: string; test: boolean } } } };
  const order = body.data?.createTestPayin?.payin;
  if (!order) throw new Error(`createTestPayin failed: ${JSON.stringify(body)}`);
  return order.orderNo;
}

/** "1,234.50 USD" → minor units, exactly. */
function units(text: string): bigint {
  const match = /(-?)([\d,]+)\.(\d{2})/.exec(text);
  if (!match) throw new Error(`no amount in "${text}"`);
  const value = BigInt(match[2]!.replace(/,/g, '') + match[3]);
  return match[1] === '-' ? -value : value;
}

const usdAvailable = (page: Page) => page.locator('[data-testid="balance-cards"] [data-currency="USD"]').getByTestId('balance-available');

/** The payin list's rows once it has answered: how many, and how many carry the "Test" tag. */
async function payinRows(page: Page): Promise<{ rows: number; tagged: number }> {
  const table = page.getByTestId('payin-table');
  await page.getByTestId('keyset-pager').getByText(/rows?|共/).waitFor();
  const rows = table.locator('tbody tr[data-row-id]');
  return { rows: await rows.count(), tagged: await rows.locator('.test-tag').count() };
}

/** The list filtered to one order number: the pager's total once the answer is in. */
async function countOf(page: Page, orderNo: string): Promise<string> {
  await page.goto(`/transactions/payins?q=${encodeURIComponent(orderNo)}`);
  await page.getByTestId('payin-table').waitFor();
  await expect.poll(async () => (await page.getByTestId('keyset-pager').innerText()).trim()).toMatch(/^(no rows|1 row|共 0 条|共 1 条)/);
  return (await page.getByTestId('keyset-pager').innerText()).trim();
}

describe('test data switch in a real browser', () => {
  it('shows the live book by default and only the test book, under a banner, once switched', { timeout: 150_000 }, async () => {
    const { context, page, problems } = await openPage(app.browser, app.env.url);
    try {
      await scenario(page);
    } catch (error) {
      await screenshot(page, 'test-mode-failure').catch(() => {});
      console.log('page problems:', problems.errors);
      throw error;
    }
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});

async function scenario(page: Page): Promise<void> {
  await page.goto('/dashboard');
  await page.waitForURL(/\/login/);
  await signIn(page, 'owner@siam-digital.demo', app.password);
  await page.waitForURL(/\/dashboard/);
  // The owner's own test deposit (as the operations page makes it): test money, test book.
  const testOrderNo = await createTestDeposit(page);

  // ── Live (the default): live balance, no banner, live payins only, the test deposit not there. ──
  expect(await page.getByTestId('test-mode-switch').getAttribute('data-on')).toBe('false');
  expect(await page.getByTestId('test-mode-banner').count()).toBe(0);
  await usdAvailable(page).waitFor();
  expect(units(await usdAvailable(page).innerText())).toBe(1_111_00n);
  await page.getByTestId('recent-payins').locator('tbody tr').first().waitFor();
  expect(await page.getByTestId('recent-payins').innerText()).not.toContain(testOrderNo);
  expect(await page.getByTestId('recent-payins').locator('.recent-test').count()).toBe(0);
  await screenshot(page, 'test-mode-dashboard-live-en');

  await page.getByTestId('main-menu').getByText('Payins', { exact: true }).click();
  await page.waitForURL(/\/transactions\/payins/);
  const live = await payinRows(page);
  expect(live.rows).toBeGreaterThan(0);
  expect(live.tagged).toBe(0);
  // The list has no live/test filter of its own any more: the header decides.
  await page.getByTestId('filter-more').click();
  await page.getByTestId('more-filters').waitFor();
  expect(await page.getByTestId('filter-test').count()).toBe(0);
  await screenshot(page, 'test-mode-payins-live-en');
  expect(await countOf(page, liveOrderNo)).toMatch(/^1 row/);
  expect(await countOf(page, testOrderNo)).toMatch(/^no rows/);

  // ── Switch on: banner, test balance, test payins only; the URL keeps no book of its own. ──
  await page.goto('/dashboard');
  await usdAvailable(page).waitFor();
  await page.getByTestId('test-mode-switch').locator('.n-switch').click();
  const banner = page.getByTestId('test-mode-banner');
  await banner.waitFor();
  // The switch's tooltip out of the way of the pictures.
  await page.mouse.move(720, 600);
  expect(await banner.innerText()).toContain('Test data — test orders, payouts and balances only');
  expect(await page.getByTestId('test-mode-switch').getAttribute('data-on')).toBe('true');
  expect(await page.evaluate(() => localStorage.getItem('payrail.testMode'))).toBe('1');
  // Never the live number under the banner: the card shows the test book's once it has answered.
  await expect.poll(async () => units(await usdAvailable(page).innerText())).toBe(2_222_00n);
  const recent = page.getByTestId('recent-payins');
  await recent.getByText(testOrderNo).waitFor();
  expect(await recent.locator('tbody tr').count()).toBe(await recent.locator('.recent-test').count());
  // The banner sits above the page, not over it: the page starts below it.
  const bannerBox = (await banner.boundingBox())!;
  const cardsBox = (await page.getByTestId('balance-cards').boundingBox())!;
  expect(cardsBox.y).toBeGreaterThanOrEqual(bannerBox.y + bannerBox.height);
  await screenshot(page, 'test-mode-dashboard-test-en');

  // Remembered: a reload stays in test data.
  await page.reload();
  await banner.waitFor();
  await expect.poll(async () => units(await usdAvailable(page).innerText())).toBe(2_222_00n);

  await page.getByTestId('main-menu').getByText('Payins', { exact: true }).click();
  await page.waitForURL(/\/transactions\/payins$/);
  const test = await payinRows(page);
  expect(test.rows).toBeGreaterThan(0);
  expect(test.tagged).toBe(test.rows);
  await page.getByTestId('payin-table').locator(`tr[data-order-no="${testOrderNo}"]`).waitFor();
  await screenshot(page, 'test-mode-payins-test-en');
  expect(await countOf(page, testOrderNo)).toMatch(/^1 row/);
  expect(await countOf(page, liveOrderNo)).toMatch(/^no rows/);

  // An export made here holds test rows only (the list's filter goes with it).
  await page.goto('/transactions/payins');
  await page.getByTestId('payin-table').locator('tbody tr[data-row-id]').first().waitFor();
  await page.getByTestId('list-export').click();
  await page.getByTestId('export-started-link').waitFor();
  const exported = await app.env.prisma.export.findFirstOrThrow({ where: { kind: 'PAYINS', merchantId: merchant.id }, orderBy: { createdAt: 'desc' }, select: { filters: true } });
  expect((exported.filters as { test?: boolean }).test).toBe(true);
  for (const close of await page.locator('.n-notification .n-base-close').all()) await close.click().catch(() => {});
  // The download center says which book an export holds.
  await page.goto('/downloads');
  const exportRow = page.locator('[data-testid="export-table"] tr[data-export-id]').first();
  await exportRow.waitFor();
  expect(await exportRow.innerText()).toContain('Test data');

  // A recharge asked for in test data is a test request: the form says so, the list shows it here only.
  await page.goto('/finance/funds');
  await page.locator('[data-testid="fund-balances"] [data-currency="USD"]').waitFor();
  expect(units(await page.locator('[data-testid="fund-balances"] [data-currency="USD"]').getByTestId('balance-available').innerText())).toBe(2_222_00n);
  await page.getByTestId('open-recharge').click();
  const modal = await settled(page.getByTestId('fund-request-modal'));
  expect(await modal.getByTestId('fund-book').getAttribute('data-book')).toBe('test');
  await page.getByTestId('fund-currency').click();
  await page.locator('.n-base-select-option', { hasText: /^USD$/ }).first().click();
  await page.getByTestId('fund-amount').locator('input').fill('50.00');
  await page.getByTestId('fund-reference').locator('input').fill('TESTMODE-REF');
  await screenshot(page, 'test-mode-recharge-test-en');
  await page.getByTestId('fund-submit').click();
  const created = page.getByTestId('fund-created');
  await created.waitFor();
  const requestNo = /Request (\S+) sent/.exec(await created.innerText())?.[1] ?? '';
  expect(requestNo).not.toBe('');
  const request = await app.env.prisma.fundRequest.findUniqueOrThrow({ where: { requestNo }, select: { test: true } });
  expect(request.test).toBe(true);
  await page.locator(`[data-testid="fund-request-table"] [data-request-no="${requestNo}"]`).waitFor();

  // ── Chinese, both modes. ──
  await page.getByTestId('language-switch').click();
  await page.getByText('简体中文').click();
  await page.goto('/dashboard');
  await banner.waitFor();
  expect(await banner.innerText()).toContain('测试数据 — 仅显示测试订单、测试代付和测试余额');
  expect(await page.getByTestId('test-mode-switch').innerText()).toContain('测试数据');
  await expect.poll(async () => units(await usdAvailable(page).innerText())).toBe(2_222_00n);
  await page.getByTestId('recent-payins').getByText(testOrderNo).waitFor();
  await screenshot(page, 'test-mode-dashboard-test-zh');
  await page.goto('/transactions/payins');
  await page.getByTestId('payin-table').locator(`tr[data-order-no="${testOrderNo}"]`).waitFor();
  await screenshot(page, 'test-mode-payins-test-zh');

  // The fund request list follows the book: the test recharge is not among the live requests.
  await page.goto('/finance/funds');
  await page.locator(`[data-testid="fund-request-table"] [data-request-no="${requestNo}"]`).waitFor();

  // The banner's button goes back to live data, where the page shows the live book again.
  await banner.getByTestId('test-mode-leave').click();
  await banner.waitFor({ state: 'detached' });
  await page.locator('[data-testid="fund-request-table"] [data-request-no]').first().waitFor();
  await expect.poll(async () => units(await page.locator('[data-testid="fund-balances"] [data-currency="USD"]').getByTestId('balance-available').innerText())).toBe(1_111_00n);
  expect(await page.locator(`[data-testid="fund-request-table"] [data-request-no="${requestNo}"]`).count()).toBe(0);
  expect(await page.evaluate(() => localStorage.getItem('payrail.testMode'))).toBe('0');

  await page.goto('/dashboard');
  await expect.poll(async () => units(await usdAvailable(page).innerText())).toBe(1_111_00n);
  await page.getByTestId('recent-payins').locator('tbody tr').first().waitFor();
  expect(await page.getByTestId('recent-payins').locator('.recent-test').count()).toBe(0);
  await screenshot(page, 'test-mode-dashboard-live-zh');
  await page.goto('/transactions/payins');
  await page.getByTestId('payin-table').locator('tbody tr[data-row-id]').first().waitFor();
  expect((await payinRows(page)).tagged).toBe(0);
  await screenshot(page, 'test-mode-payins-live-zh');

  // A link may name the book: `?mode=test` switches to it and leaves the URL.
  await page.goto(`/transactions/payins?mode=test&q=${encodeURIComponent(testOrderNo)}`);
  await banner.waitFor();
  await page.waitForURL((url) => !url.searchParams.has('mode') && url.searchParams.get('q') === testOrderNo);
  await page.getByTestId('payin-table').locator(`tr[data-order-no="${testOrderNo}"]`).waitFor();
  await page.goto('/dashboard?mode=live');
  await page.waitForURL((url) => !url.searchParams.has('mode'));
  expect(await banner.count()).toBe(0);
  await expect.poll(async () => units(await usdAvailable(page).innerText())).toBe(1_111_00n);
}
