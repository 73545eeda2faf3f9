import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/modules/auth/sessions.ts';
import { graphqlHttp } from '../support/auth-fixtures.ts';
import { startAppEnvironment, type AppEnvironment } from './support/app-environment.ts';
import { openPage, screenshot } from './support/browser.ts';
import { menuLabels, settled, signIn } from './support/spa-actions.ts';

/**
 * The merchant center's API tokens page in a real browser, under the production allow-list: a
 * merchant owner creates a token (name, permissions, expiry), sees the secret once and copies it,
 * finds it listed with its creator and last use, and revokes it; the token works as a bearer token
 * until then. An operator (no API_TOKEN_WRITE) has no menu entry and is turned away; an administrator
 * sees the merchant's tokens but cannot create one. Screenshots in English and Chinese.
 */

let app: AppEnvironment;

beforeAll(async () => {
  app = await startAppEnvironment({ orders: 6 });
}, 240_000);

afterAll(async () => {
  await app?.stop();
});

const OWNER = 'owner@golden-lotus.demo';
const BEARER_QUERY = '{ me { kind merchant { mchId name } permissionNames } payins(first: 5) { nodes { orderNo status } } }';

/** Every column fits at 1440×900: the table does not scroll sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const body = page.getByTestId('token-table').locator('.n-data-table-base-table-body .n-scrollbar-container').first();
  const { scrollWidth, clientWidth } = await body.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

async function tokenRow(page: Page, name: string) {
  const row = page.getByTestId('token-table').locator('tbody tr', { hasText: name });
  await row.waitFor();
  return row;
}

describe('API tokens page in a real browser', () => {
  it('lets a merchant owner create a token seen once, find it listed, and revoke it', { timeout: 150_000 }, async () => {
    const { prisma } = app.env;
    const owner = await prisma.user.findUniqueOrThrow({ where: { email: OWNER }, include: { merchant: true } });
    const { page, problems, context } = await openPage(app.browser, app.env.url);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.env.url });
    try {
      await page.goto('/merchant/api-tokens');
      await page.waitForURL(/\/login/);
      await signIn(page, OWNER, app.password);
      await page.waitForURL(/\/merchant\/api-tokens/);
      expect(await menuLabels(page)).toContain('API tokens');

      // ── Empty state, then the form's own checks before anything is sent.
      await page.getByTestId('token-table').getByText('No API tokens yet.').waitFor();
      await screenshot(page, 'api-tokens-empty-en');
      await page.getByTestId('token-create').click();
      const modal = page.getByTestId('create-token-modal');
      await settled(modal);
      await modal.getByTestId('token-scope').waitFor();
      await modal.getByTestId('token-create-submit').click();
      expect(await modal.innerText()).toContain('Enter a name');
      expect(await modal.innerText()).toContain('Choose at least one permission.');
      // Only what the owner holds and a token can carry: no platform codes, no payout review.
      const offered = await modal.getByTestId('token-scope').locator('[data-code]').evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-code'))));
      expect(offered).toContain(1001);
      expect(offered).toContain(4006);
      expect(offered).not.toContain(1005);
      expect(offered.some((code) => code >= 5000)).toBe(false);
      expect(await modal.innerText()).toContain('View deposits');

      await modal.getByTestId('token-name').locator('input').fill('ERP sync');
      await modal.getByTestId('token-scope').locator('[data-code="1001"]').click();
      await modal.getByTestId('token-scope').locator('[data-code="1002"]').click();
      await modal.getByTestId('token-scope').locator('[data-code="4003"]').click();
      await modal.getByTestId('token-scope').locator('[data-code="2001"]').click();
      expect(await modal.innerText()).toContain('Works until the end of');
      await screenshot(page, 'api-tokens-create-en');
      await modal.getByTestId('token-create-submit').click();

      // ── The secret, once: copied, then gone from the page when the dialog closes.
      const once = page.getByTestId('token-once');
      await once.waitFor();
      const token = await once.getByTestId('token-secret').locator('input').inputValue();
      expect(token).toMatch(/^prt_[A-Za-z0-9_-]{43}$/);
      expect(await once.getByTestId('token-once-warning').innerText()).toContain("You won't see it again");
      await screenshot(page, 'api-tokens-secret-en');
      // Escape or a click beside the dialog does not throw the secret away.
      await page.keyboard.press('Escape');
      await page.mouse.click(20, 880);
      await page.waitForTimeout(300);
      expect(await once.isVisible()).toBe(true);
      await once.getByTestId('copy-button').click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

      const stored = await prisma.apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
      expect(stored).toMatchObject({ name: 'ERP sync', merchantId: owner.merchantId, createdById: owner.id, permissions: [1001, 1002, 2001, 4003] });
      const daysLeft = (stored.expiresAt!.getTime() - Date.now()) / 86_400_000;
      expect(daysLeft).toBeGreaterThan(89);
      expect(daysLeft).toBeLessThanOrEqual(91);

      await once.getByTestId('token-once-close').click();
      await once.waitFor({ state: 'detached' });
      expect(await page.content()).not.toContain(token);

      // ── The token works on GraphQL as a bearer token; the list shows its use.
      const used = await graphqlHttp(app.env.url, BEARER_QUERY, {}, { bearer: token });
      expect(used.errors).toBeUndefined();
      expect(used.data?.me).toMatchObject({ kind: 'API_TOKEN', merchant: { mchId: owner.merchant!.mchId } });
      expect(used.data?.payins.nodes.length).toBeGreaterThan(0);

      await page.reload();
      let row = await tokenRow(page, 'ERP sync');
      const text = await row.innerText();
      expect(text).toContain(token.slice(0, 12));
      expect(text).toContain(`by ${owner.name}`);
      expect(text).toContain('View deposits');
      expect(text).toContain('+1 more');
      expect(text).toContain('Active');
      expect(text).not.toContain('Never'); // used just now (a last-used time), and it expires
      await expectNoSidewaysScroll(page);
      await screenshot(page, 'api-tokens-list-en');

      // ── Revoke, after a confirmation.
      await row.getByTestId('token-revoke').click();
      await page.getByTestId('confirm-ok').waitFor();
      expect(await page.locator('.n-dialog').innerText()).toContain('ERP sync');
      await screenshot(page, 'api-tokens-revoke-en');
      await page.getByTestId('confirm-ok').click();
      row = await tokenRow(page, 'ERP sync');
      await row.getByText('Revoked').waitFor();
      expect(await row.getByTestId('token-revoke').count()).toBe(0);
      const refused = await graphqlHttp(app.env.url, BEARER_QUERY, {}, { bearer: token });
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      // ── Chinese: the same page and dialogs, translated (once the English notice has gone).
      await page.waitForFunction(() => document.querySelectorAll('.n-message').length === 0);
      await page.getByTestId('language-switch').click();
      await page.getByText('简体中文').click();
      row = await tokenRow(page, 'ERP sync');
      await row.getByText('已吊销').waitFor();
      expect(await menuLabels(page)).toContain('API 令牌');
      expect(await row.innerText()).toContain('查看代收订单');
      await expectNoSidewaysScroll(page);
      await screenshot(page, 'api-tokens-list-zh');
      await page.getByTestId('token-create').click();
      await settled(modal);
      await modal.getByTestId('token-scope').waitFor();
      await modal.getByTestId('token-name').locator('input').fill('对账服务');
      await modal.getByTestId('token-scope').locator('[data-code="2004"]').click();
      expect(await modal.innerText()).toContain('有效至');
      await screenshot(page, 'api-tokens-create-zh');
      await modal.getByTestId('token-create-submit').click();
      await once.waitFor();
      expect(await once.innerText()).toContain('将无法再次查看');
      await screenshot(page, 'api-tokens-secret-zh');
      await once.getByTestId('token-once-close').click();
      await tokenRow(page, '对账服务');
      await screenshot(page, 'api-tokens-list-two-zh');
    } catch (error) {
      await screenshot(page, 'api-tokens-failure').catch(() => {});
      console.log('page problems:', problems.errors);
      throw error;
    }
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('shows no token page to an operator, and no create button to an administrator', { timeout: 90_000 }, async () => {
    const operator = await openPage(app.browser, app.env.url);
    await operator.page.goto('/');
    await signIn(operator.page, 'operator@golden-lotus.demo', app.password);
    const labels = await menuLabels(operator.page);
    expect(labels).toContain('Applications');
    expect(labels).not.toContain('API tokens');
    await operator.page.goto('/merchant/api-tokens');
    await operator.page.waitForURL(/\/forbidden/);
    expect(operator.problems.errors).toEqual([]);
    await operator.context.close();

    const admin = await openPage(app.browser, app.env.url);
    await admin.page.goto('/merchant/api-tokens');
    await signIn(admin.page, 'admin@payrail.local', app.password);
    await admin.page.waitForURL(/\/merchant\/api-tokens/);
    // Staff see every merchant's tokens, with the merchant, and may revoke them; only members create them.
    const row = await tokenRow(admin.page, 'ERP sync');
    expect(await row.innerText()).toContain('Golden Lotus Games');
    expect(await admin.page.getByTestId('token-create').count()).toBe(0);
    await expectNoSidewaysScroll(admin.page);
    await screenshot(admin.page, 'api-tokens-staff-en');
    expect(admin.problems.errors).toEqual([]);
    await admin.context.close();
  });
});
