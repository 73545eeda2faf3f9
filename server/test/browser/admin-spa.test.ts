import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppEnvironment, type AppEnvironment } from './support/app-environment.ts';
import { openPage, screenshot } from './support/browser.ts';
import { menuLabels, signIn } from './support/spa-actions.ts';
import { WEB_ROOT } from './support/web-build.ts';

let app: AppEnvironment;

beforeAll(async () => {
  app = await startAppEnvironment();
}, 240_000);

afterAll(async () => {
  await app?.stop();
});

/** A test deposit created with the page's session through the SPA's own createTestPayin operation; its number. */
async function createTestDeposit(page: Page, merchantId: string): Promise<string> {
  const documents = JSON.parse(await readFile(path.join(WEB_ROOT, 'src', 'gql', 'persisted-documents.json'), 'utf8')) as Record<string, string>;
  const query = Object.values(documents).find((source) => /mutation \w+\(\$input: CreateTestPayinInput!\)/.test(source) && source.includes('orderNo'));
  if (!query) throw new Error('the SPA has no createTestPayin operation (web/src/gql/persisted-documents.json)');
  const variables = { input: { merchantId, service: 'THB_BANK', amount: '321.00', outTradeNo: `DASHBOARD-${Date.now()}`, payerName: 'Somchai Jaidee', payerAccount: '1234567890', bankCode: 'KBANK' } };
  const body = (await page.evaluate(
    async (request) => (await fetch('/graphql', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) })).json(),
    { query, variables },
  )) as { data?: { createTestPayin?: { payin: { orderNo: string } } } };
  const orderNo = body.data?.createTestPayin?.payin.orderNo;
  if (!orderNo) throw new Error(`createTestPayin failed: ${JSON.stringify(body)}`);
  return orderNo;
}

describe('admin SPA in a real browser', () => {
  it('signs staff in with TOTP enrolment and a merchant viewer with a password; their menus differ', { timeout: 120_000 }, async () => {
    const admin = await openPage(app.browser, app.env.url);
    // The app's pages come with their security headers (never framed, own scripts only), and the
    // whole app works under that policy (the page problems checked at the end include CSP refusals).
    const landing = await admin.page.goto('/');
    const headers = landing!.headers();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers).toMatchObject({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' });
    await admin.page.waitForURL(/\/login/);
    await screenshot(admin.page, 'login');
    await signIn(admin.page, 'admin@payrail.local', app.password);
    const adminMenu = await menuLabels(admin.page);
    // The dashboard (seed 002 statistics): balances, and the charts by day once the data is in; what
    // needs attention (staff: with the platform's own parts) and the newest payins (seed 004).
    await admin.page.goto('/dashboard');
    await admin.page.getByTestId('dashboard-stats').waitFor();
    await admin.page.getByTestId('metric-amount').waitFor();
    await admin.page.locator('svg path, canvas').first().waitFor();
    const attention = admin.page.getByTestId('attention-card');
    await attention.getByTestId('attention-platform').waitFor();
    await attention.getByTestId('attention-row').first().waitFor();
    expect(await attention.getByTestId('platform-database').getAttribute('data-severity')).toBe('success');
    const adminKinds = await attention.getByTestId('attention-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')));
    expect(adminKinds).toEqual(expect.arrayContaining(['payoutsInReview', 'payinsStuck', 'callbacksFailed24h', 'fundRequestsWaiting']));
    // Payouts in review lead to the payout list filtered to them.
    expect(await attention.locator('[data-kind="payoutsInReview"] a').first().getAttribute('href')).toBe('/transactions/payouts?status=REVIEW');
    const recentPayins = admin.page.getByTestId('recent-payins').locator('tbody tr');
    await recentPayins.first().waitFor();
    expect(await recentPayins.count()).toBeGreaterThan(0);
    expect(await recentPayins.count()).toBeLessThanOrEqual(8);
    expect(await recentPayins.first().getByTestId('recent-open').getAttribute('href')).toMatch(/^\/transactions\/payins\?open=/);
    // A new payin appears at the top without a reload (payinChanged). A test deposit is test data: it
    // is listed with the header's "Test data" switch on (and only then).
    await admin.page.getByTestId('test-mode-switch').locator('.n-switch').click();
    await admin.page.getByTestId('test-mode-banner').waitFor();
    // The switch's tooltip out of the way of the pictures.
    await admin.page.mouse.move(720, 600);
    await admin.page.getByTestId('recent-transactions').locator('[data-testid="live-indicator"][data-live="on"]').waitFor();
    const siam = await app.env.prisma.merchant.findFirstOrThrow({ where: { name: 'Siam Digital Market' }, select: { id: true } });
    const orderNo = await createTestDeposit(admin.page, siam.id);
    await recentPayins.first().getByText(orderNo).waitFor({ timeout: 15_000 });
    await admin.page.getByTestId('dashboard-overview').evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(admin.page, 'dashboard-en-light');
    // The period totals: one money format (grouped, the display currency beside it, never wrapped).
    const activated = admin.page.getByTestId('dashboard-activated-amount').first();
    await activated.waitFor();
    expect(await activated.innerText()).toMatch(/^\d{1,3}(,\d{3})*(\.\d+)?\s[A-Z]{3,5}$/);
    await admin.page.getByTestId('dashboard-stats').evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(admin.page, 'dashboard-stats-en-light');

    const viewer = await openPage(app.browser, app.env.url);
    await viewer.page.goto('/');
    await signIn(viewer.page, 'viewer@golden-lotus.demo', app.password);
    const viewerMenu = await menuLabels(viewer.page);
    // A merchant's viewer sees what needs attention among their merchant's rows, not the platform
    // (here in Chinese and the dark theme, as a saved choice).
    await viewer.page.evaluate(() => {
      localStorage.setItem('payrail.theme', 'dark');
      localStorage.setItem('payrail.locale', 'zh-CN');
    });
    await viewer.page.goto('/dashboard');
    await viewer.page.getByTestId('attention-row').first().waitFor();
    await viewer.page.getByTestId('recent-payins').locator('tbody tr').first().waitFor();
    expect(await viewer.page.getByTestId('attention-platform').count()).toBe(0);
    expect(await viewer.page.getByTestId('attention-card').innerText()).toContain('待关注事项');
    await screenshot(viewer.page, 'dashboard-zh-dark');
    await viewer.page.getByTestId('dashboard-activated-amount').first().waitFor();
    await viewer.page.getByTestId('dashboard-stats').evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(viewer.page, 'dashboard-stats-zh-dark');
    // The menu is built from each user's ability: hidden, not disabled, where nothing is allowed.
    expect(adminMenu).toEqual(expect.arrayContaining(['Dashboard', 'Transaction center', 'Financial center', 'Merchant center', 'Operations', 'Configuration']));
    expect(viewerMenu).toEqual(expect.arrayContaining(['Dashboard', 'Transaction center', 'Financial center', 'Merchant center']));
    expect(viewerMenu).not.toContain('Configuration');
    // A viewer reads but never writes: no test orders, no fund review, no configuration.
    for (const hidden of ['Test deposit', 'Test payout', 'Fund review', 'Users', 'Audit log']) expect(viewerMenu).not.toContain(hidden);
    expect(viewerMenu).not.toEqual(adminMenu);
    expect(admin.problems.errors).toEqual([]);
    expect(viewer.problems.errors).toEqual([]);
    await admin.context.close();
    await viewer.context.close();
  });
});
