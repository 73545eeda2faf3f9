import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppEnvironment, type AppEnvironment } from './support/app-environment.ts';
import { openPage, screenshot } from './support/browser.ts';
import { settled, signIn } from './support/spa-actions.ts';
import { WEB_ROOT } from './support/web-build.ts';

/**
 * Transaction center and download center in a real browser (issue #6 parts 4 and 6): a test deposit
 * created through the SPA's own GraphQL operation is paid on the hosted cashier page by a payer in
 * another browser; the sandbox upstream calls back; the admin's payin list (switched to "Test data",
 * where test deposits are listed) turns the row to "Succeeded" without a reload (payinChanged
 * subscription). Then the drawer, an export of the filtered list downloaded from the download center,
 * and screenshots in Chinese and dark mode (back in live data).
 */

let app: AppEnvironment;
let merchant: { id: string; name: string };
let callbacks: Server;
let callbackUrl: string;
const received: string[] = [];

beforeAll(async () => {
  app = await startAppEnvironment({ orders: 24 });
  const { prisma } = app.env;
  // A payer's "I have paid" should succeed, quickly: the THB sandbox channels always pay, after 300 ms.
  await prisma.channel.updateMany({ where: { connector: 'sandbox', currencyCode: 'THB' }, data: { settings: { delayMs: 300, successRate: 1 } } });
  merchant = await prisma.merchant.findFirstOrThrow({ where: { name: 'Siam Digital Market' }, select: { id: true, name: true } });
  // The merchant's notify_url: acknowledges every callback (any 2xx).
  callbacks = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(body);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('success');
    });
  });
  await new Promise<void>((resolve) => callbacks.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callbacks.address() as { port: number }).port}/notify`;
}, 240_000);

afterAll(async () => {
  if (callbacks) await new Promise((resolve) => callbacks.close(resolve));
  await app?.stop();
});

/** The SPA's own createTestPayin document (operations page), so it passes the production allow-list. */
async function createTestPayinDocument(): Promise<string | null> {
  const documents = JSON.parse(await readFile(path.join(WEB_ROOT, 'src', 'gql', 'persisted-documents.json'), 'utf8')) as Record<string, string>;
  return Object.values(documents).find((source) => /mutation \w+\(\$input: CreateTestPayinInput!\) \{ createTestPayin\(input: \$input\)/.test(source) && source.includes('paymentUrl') && source.includes('orderNo')) ?? null;
}

interface CreatedPayin {
  orderNo: string;
  paymentUrl: string;
}

/** A test deposit, created from the admin's page with their session cookie (as the operations page does). */
async function createTestDeposit(page: Page, outTradeNo: string): Promise<CreatedPayin> {
  const document = await createTestPayinDocument();
  if (!document) throw new Error('the SPA has no createTestPayin operation (web/src/gql/persisted-documents.json)');
  const input = {
    merchantId: merchant.id,
    service: 'THB_BANK',
    amount: '1500.00',
    outTradeNo,
    userId: 'player-4711',
    payerName: 'Somchai Jaidee',
    payerAccount: '1234567890',
    bankCode: 'KBANK',
    notifyUrl: callbackUrl,
  };
  const body = await page.evaluate(
    async ({ query, variables }) => {
      const response = await fetch('/graphql', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return response.json();
    },
    { query: document, variables: { input } },
  );
  const created = (body as { data?: { createTestPayin?: { paymentUrl: string; payin: { orderNo: string } } }; errors?: unknown }).data?.createTestPayin;
  if (!created) throw new Error(`createTestPayin failed: ${JSON.stringify(body)}`);
  return { orderNo: created.payin.orderNo, paymentUrl: created.paymentUrl };
}

/** How every date-time reads in tables, in both languages: `2026-12-07 14:03`. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

const row = (page: Page, orderNo: string) => page.locator(`[data-testid="payin-table"] tr[data-order-no="${orderNo}"]`);

describe('transaction center and download center in a real browser', () => {
  it('shows a paid test deposit turn to success live, its drawer, and exports it through the download center', { timeout: 120_000 }, async () => {
    const started = Date.now();
    const { page, problems, context } = await openPage(app.browser, app.env.url);
    try {
      await scenario(page, started);
    } catch (error) {
      // What the page showed and said when it went wrong.
      await screenshot(page, 'transactions-failure').catch(() => {});
      console.log('page problems:', problems.errors);
      throw error;
    }
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});

/** The steps, top to bottom (a failure is screenshotted by the caller). */
async function scenario(page: Page, started: number): Promise<void> {
  await page.goto('/transactions/payins');
  await page.waitForURL(/\/login/);
  await signIn(page, 'admin@payrail.local', app.password);
  await page.waitForURL(/\/transactions\/payins/);

  // The list: seeded payins, server-paginated, and connected for live rows.
  const table = page.getByTestId('payin-table');
  await table.locator('tbody tr[data-row-id]').first().waitFor();
  await page.locator('[data-testid="live-indicator"][data-live="on"]').waitFor();
  expect(await page.getByTestId('keyset-pager').innerText()).toMatch(/\d+ rows/);
  await screenshot(page, 'transactions-payins-en-light');
  // At 1440×900 the first row's Status and Created cells are in view without scrolling sideways.
  const firstRow = table.locator('tbody tr[data-row-id]').first();
  for (const key of ['status', 'createdAt']) {
    const box = await firstRow.locator(`td[data-col-key="${key}"]`).boundingBox();
    expect(box, key).not.toBeNull();
    expect(page.viewportSize()?.width).toBe(1440);
    expect(box!.x, key).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, key).toBeLessThanOrEqual(1440);
  }

  // Test deposits are test data: the list shows them with the header's "Test data" switch on.
  await page.getByTestId('test-mode-switch').locator('.n-switch').click();
  await page.getByTestId('test-mode-banner').waitFor();
  await page.mouse.move(720, 600);
  await page.locator('[data-testid="live-indicator"][data-live="on"]').waitFor();

  // Nothing below reloads the page: this mark would be gone.
  await page.evaluate(() => ((window as unknown as { __payrailNoReload: boolean }).__payrailNoReload = true));

  // A test deposit appears at the top of the list without a reload, waiting for payment.
  const outTradeNo = `BROWSER-${Date.now()}`;
  const created = await createTestDeposit(page, outTradeNo);
  await row(page, created.orderNo).waitFor({ timeout: 15_000 });
  expect(await row(page, created.orderNo).getAttribute('data-status')).toBe('PENDING');
  expect(await table.locator('tbody tr[data-row-id]').first().getAttribute('data-order-no')).toBe(created.orderNo);

  // The payer pays on the cashier page in their own browser; the sandbox upstream calls back.
  const payer = await openPage(app.browser, app.env.url);
  await payer.page.goto(created.paymentUrl);
  await payer.page.locator('#submit').click();

  // The admin's row turns to success by itself.
  await page.locator(`[data-testid="payin-table"] tr[data-order-no="${created.orderNo}"][data-status="SUCCEEDED"]`).waitFor({ timeout: 20_000 });
  expect(await page.evaluate(() => (window as unknown as { __payrailNoReload?: boolean }).__payrailNoReload)).toBe(true);
  await payer.context.close();

  // Money and dates read one way: grouped with the currency beside it (never wrapped), and
  // `2026-12-07 14:03` (no ambiguous 12/07/2026) in the viewer's zone.
  const amountCell = row(page, created.orderNo).locator('td[data-col-key="amount"]');
  expect(await amountCell.innerText()).toMatch(/^1,500\.00\sTHB$/);
  expect(await amountCell.locator('.money').evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('nowrap');
  expect(await row(page, created.orderNo).locator('td[data-col-key="createdAt"]').innerText()).toMatch(DATE_TIME);

  // The drawer (linkable: ?open=<id>): amounts, the payment received, timeline, callbacks.
  await row(page, created.orderNo).getByTestId('open-row').click();
  await page.waitForURL(/[?&]open=/);
  const drawer = page.getByTestId('payin-drawer');
  await drawer.getByTestId('payin-details').waitFor();
  const details = await drawer.getByTestId('payin-details').innerText();
  expect(details).toContain(created.orderNo);
  expect(details).toContain(outTradeNo);
  expect(details).toMatch(/1,500\.00\sTHB/);
  // In the drawer the zone is named beside the time.
  expect(details).toMatch(new RegExp(`${DATE_TIME.source.slice(1, -1)} UTC([+\u2212]\\d{1,2}(:\\d{2})?)?`));
  expect(details).toContain(merchant.name);
  await screenshot(page, 'transactions-drawer-details-en-light');
  // Staff with every permission see the actions a succeeded test order allows.
  const actions = await drawer.getByTestId('drawer-actions').locator('button').allInnerTexts();
  expect(actions.map((a) => a.trim())).toEqual(expect.arrayContaining(['Simulate callback', 'Change status', 'Mark as fraud']));
  expect(actions.map((a) => a.trim())).not.toContain('Close order');
  // An audited action: the reason is checked before anything is sent, then the flag changes in place.
  await drawer.getByTestId('drawer-actions').locator('[data-action="fraud"]').click();
  const dialog = await settled(page.getByTestId('action-dialog'));
  await dialog.getByTestId('action-confirm').click();
  await dialog.getByText('A reason is required.').waitFor();
  await dialog.getByTestId('action-reason').locator('textarea').fill('Chargeback reported by the bank');
  await dialog.getByTestId('action-confirm').click();
  await drawer.getByTestId('drawer-actions').locator('[data-action="normal"]').waitFor();
  expect(await drawer.locator('[data-status="FRAUD"]').count()).toBeGreaterThan(0);
  // The success message names what happened, not a bare "Done.".
  await expect.poll(async () => (await page.locator('.n-message').allInnerTexts()).join('\n')).toContain(`Mark as fraud: ${created.orderNo} done.`);
  // A money-moving dialog is a centred card of a fixed width (not an edge-to-edge strip) that restates
  // what moves: the order's amount, what was paid, what this simulation takes back. Nothing is focused
  // on opening, so no choice looks picked that is not.
  await drawer.getByTestId('drawer-actions').locator('[data-action="simulate"]').click();
  const simulate = await settled(page.getByTestId('action-dialog'));
  const box = (await simulate.boundingBox())!;
  expect(box.width).toBeGreaterThan(480);
  expect(box.width).toBeLessThanOrEqual(560);
  expect(Math.abs(box.x + box.width / 2 - 720)).toBeLessThan(8);
  expect(await page.evaluate(() => !!document.activeElement?.closest('.n-radio-button, .n-radio-group'))).toBe(false);
  const summary = simulate.getByTestId('action-summary');
  expect(await summary.locator('[data-summary="amount"]').innerText()).toMatch(/^1,500\.00\sTHB$/);
  expect(await summary.locator('[data-summary="paid"]').innerText()).toMatch(/^1,500\.00\sTHB$/);
  expect(await summary.locator('[data-summary="pays"]').innerText()).toMatch(/^-1,500\.00\sTHB$/);
  expect(await summary.innerText()).toContain('This simulation reverses');
  await screenshot(page, 'transactions-simulate-dialog-en-light');
  await simulate.getByRole('button', { name: 'Cancel' }).click();
  await simulate.waitFor({ state: 'hidden' });
  await drawer.locator('.n-tabs-tab', { hasText: /Sub-payments/ }).click();
  await drawer.getByTestId('payin-payments').waitFor();
  expect(await drawer.getByTestId('payin-payments').locator('tbody tr').count()).toBe(1);
  await drawer.locator('.n-tabs-tab', { hasText: /Timeline/ }).click();
  expect(await drawer.getByTestId('event-timeline').innerText()).toContain('Payer reported payment');
  // Every step in words and every actor by name: no SCREAMING_CASE code, no uuid; the fraud marking
  // names the administrator who did it.
  const timeline = drawer.getByTestId('event-timeline');
  for (const title of await timeline.getByTestId('event-title').allInnerTexts()) expect(title).not.toMatch(/[A-Z]{2,}_[A-Z]+|^[A-Z]{4,}$/);
  const actors = await timeline.getByTestId('event-actor').allInnerTexts();
  expect(actors.join('\n')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  const admin = await app.env.prisma.user.findUniqueOrThrow({ where: { email: 'admin@payrail.local' }, select: { name: true } });
  expect(actors).toContain(`Staff · ${admin.name}`);
  await screenshot(page, 'transactions-timeline-en-light');
  await drawer.locator('.n-tabs-tab', { hasText: /Callbacks/ }).click();
  await drawer.getByTestId('delivery-list').waitFor();
  await screenshot(page, 'transactions-drawer-en-light');

  // The drawer link opens the same drawer on a fresh load.
  const drawerUrl = page.url();
  await page.keyboard.press('Escape');
  await page.waitForURL((url) => !url.searchParams.has('open'));

  // Export the list filtered to this order; the download center shows it finish and serves the file.
  await page.getByTestId('filter-search').locator('input').fill(created.orderNo);
  await page.getByTestId('filter-apply').click();
  await page.waitForURL(/[?&]q=/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="payin-table"] tbody tr[data-row-id]').length === 1);
  await page.getByTestId('list-export').click();
  await page.getByTestId('export-started-link').waitFor();
  // The layout announces the finished export wherever the user is, with a way to the download center.
  await page.getByTestId('export-notice-center').waitFor({ timeout: 20_000 });
  await screenshot(page, 'transactions-export-ready-en-light');
  await page.getByTestId('export-notice-center').click();
  await page.waitForURL(/\/downloads/);
  const done = page.locator('[data-testid="export-table"] tr[data-export-id][data-status="DONE"]').first();
  await done.waitFor({ timeout: 20_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), done.getByTestId('export-download').click()]);
  const file = await download.path();
  const csv = await readFile(file, 'utf8');
  expect(csv).toContain('order_no,out_trade_no');
  expect(csv).toContain(created.orderNo);
  expect(csv).toContain(outTradeNo);
  expect(csv.trim().split('\n')).toHaveLength(2);
  await screenshot(page, 'downloads-en-light');

  // Chinese, dark: payins list, drawer, payouts list, download center, in live data again (the banner's
  // button). (Notices out of the header's way first.)
  for (const close of await page.locator('.n-notification .n-base-close').all()) await close.click().catch(() => {});
  await page.getByTestId('test-mode-leave').click();
  await page.getByTestId('test-mode-banner').waitFor({ state: 'detached' });
  await page.getByTestId('theme-switch').click();
  await page.getByTestId('language-switch').click();
  await page.getByText('简体中文').click();
  // In place: the menu is a router link (no reload), theme and language apply at once.
  await page.getByTestId('main-menu').getByText('代收订单', { exact: true }).click();
  await page.waitForURL(/\/transactions\/payins$/);
  await table.locator('tbody tr[data-row-id]').nth(1).waitFor();
  await page.locator('[data-testid="live-indicator"][data-live="on"]').waitFor();
  expect(await page.getByTestId('filter-more').innerText()).toContain('更多筛选');
  await page.getByTestId('filter-more').click();
  await page.getByTestId('more-filters').waitFor();
  await screenshot(page, 'transactions-payins-zh-dark');
  // The same date format in Chinese (not 2026/12/07).
  expect(await table.locator('tbody tr[data-row-id]').first().locator('td[data-col-key="createdAt"]').innerText()).toMatch(DATE_TIME);

  // The drawer link still opens the test deposit (a drawer shows the row whatever the book).
  await page.goto(drawerUrl);
  await page.getByTestId('payin-drawer').getByTestId('payin-details').waitFor();
  expect(await page.getByTestId('payin-drawer').innerText()).toContain('平台订单号');
  await screenshot(page, 'transactions-drawer-zh-dark');
  // The same dialog in Chinese, its summary translated.
  await page.getByTestId('payin-drawer').getByTestId('drawer-actions').locator('[data-action="simulate"]').click();
  const simulateZh = await settled(page.getByTestId('action-dialog'));
  expect(await simulateZh.getByTestId('action-summary').innerText()).toContain('本次模拟冲正');
  await screenshot(page, 'transactions-simulate-dialog-zh-dark');
  await simulateZh.getByRole('button', { name: '取消' }).click();
  await simulateZh.waitFor({ state: 'hidden' });

  await page.keyboard.press('Escape');
  await page.getByTestId('main-menu').getByText('代付订单', { exact: true }).click();
  await page.getByTestId('payout-table').locator('tbody tr[data-row-id]').first().waitFor();
  await screenshot(page, 'transactions-payouts-zh-dark');

  await page.getByTestId('main-menu').getByText('下载中心', { exact: true }).click();
  await page.locator('[data-testid="export-table"] tr[data-export-id]').first().waitFor();
  expect(await page.getByTestId('export-table').innerText()).toContain('下载');
  await screenshot(page, 'downloads-zh-dark');

  // A merchant's read-only member: another merchant's payin is not there for them (even by link), their
  // own payins open without any action, and the list offers no export.
  const viewer = await openPage(page.context().browser()!, app.env.url);
  await viewer.page.goto(new URL(drawerUrl).pathname + new URL(drawerUrl).search);
  await viewer.page.waitForURL(/\/login/);
  await signIn(viewer.page, 'viewer@golden-lotus.demo', app.password);
  await viewer.page.waitForURL(/[?&]open=/);
  await viewer.page.getByTestId('payin-drawer').getByText('This transaction does not exist or you may not see it.').waitFor();
  await viewer.page.keyboard.press('Escape');
  await viewer.page.waitForURL((url) => !url.searchParams.has('open'));
  const own = viewer.page.locator('[data-testid="payin-table"] tbody tr[data-row-id]').first();
  await own.waitFor();
  expect(await viewer.page.locator('[data-testid="payin-table"] tbody tr[data-order-no="' + created.orderNo + '"]').count()).toBe(0);
  await own.getByTestId('open-row').click();
  await viewer.page.getByTestId('payin-drawer').getByTestId('payin-details').waitFor();
  expect(await viewer.page.getByTestId('payin-drawer').innerText()).toContain('Golden Lotus Games');
  expect(await viewer.page.getByTestId('drawer-actions').count()).toBe(0);
  expect(await viewer.page.getByTestId('list-export').count()).toBe(0);
  expect(viewer.problems.errors).toEqual([]);
  await viewer.context.close();

  console.log(`transactions browser scenario: ${((Date.now() - started) / 1000).toFixed(1)} s; callbacks received: ${received.length}`);
}
