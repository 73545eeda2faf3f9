import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppEnvironment, type AppEnvironment } from './support/app-environment.ts';
import { openPage, screenshot } from './support/browser.ts';
import { menuLabels, settled, signIn } from './support/spa-actions.ts';

/**
 * Configuration pages in a real browser (issue #6 part 9), through the SPA's own allow-listed
 * operations: an administrator creates a service, a channel with write-only credentials (whose values
 * never come back to the page or any GraphQL response), binds it, changes a merchant's fee, sets an
 * FX rate, adds a risk rule, builds a custom role and a user holding it (who then signs in with the
 * temporary password and sees exactly what the role grants), and finds all of it in the audit log with
 * a before/after diff. A Finance user sees the audit log but none of the editors. Screenshots of every
 * page in English/light and Chinese/dark.
 */

let app: AppEnvironment;

beforeAll(async () => {
  app = await startAppEnvironment({ orders: 6 });
}, 240_000);

afterAll(async () => {
  await app?.stop();
});

/** A secret that must never reach the browser once stored. */
const CANARY_KEY = 'sk_live_CANARY_5f1e9a77c3';
const CANARY_MERCHANT_NO = 'MNO-CANARY-778899001';

const CONFIG_PAGES = [
  { path: '/config/merchants', label: 'Merchants', table: 'merchant-table', shot: 'merchants' },
  { path: '/config/services', label: 'Services', table: 'service-table', shot: 'services' },
  { path: '/config/channels', label: 'Channels', table: 'channel-table', shot: 'channels' },
  { path: '/config/risk-rules', label: 'Risk rules', table: 'risk-table', shot: 'risk-rules' },
  { path: '/config/fx-rates', label: 'FX rates', table: 'fx-table', shot: 'fx-rates' },
  { path: '/config/users', label: 'Users', table: 'user-table', shot: 'users' },
  { path: '/config/roles', label: 'Roles', table: 'role-table', shot: 'roles' },
  { path: '/config/audit', label: 'Audit log', table: 'audit-table', shot: 'audit' },
] as const;
const EDITOR_LABELS = CONFIG_PAGES.filter((p) => p.label !== 'Audit log').map((p) => p.label);

/** Opens the naive-ui select `testid` and clicks the (visible) option with this text. */
async function pick(page: Page, testid: string, option: string | RegExp): Promise<void> {
  await page.getByTestId(testid).first().click();
  await page.locator('.n-base-select-option:visible', { hasText: option }).first().click();
}

/** Types into the input (or textarea) inside the element `testid`. */
async function type(page: Page, testid: string, value: string, nth = 0): Promise<void> {
  await page.getByTestId(testid).nth(nth).locator('input, textarea').first().fill(value);
}

/** In-app navigation through the sider menu (no reload of the SPA, as a person clicks). */
async function navigate(page: Page, path: string): Promise<void> {
  await page.getByTestId('main-menu').locator(`a[href="${path}"]`).click();
  await page.waitForURL((url) => url.pathname === path);
}

async function rowsOf(page: Page, table: string) {
  await page.getByTestId(table).locator('tbody tr[data-row-id]').first().waitFor();
}

describe('configuration pages in a real browser', () => {
  it('lets an administrator configure the platform, audited; Finance sees only the audit log', { timeout: 150_000 }, async () => {
    const started = Date.now();
    const { page, problems, context } = await openPage(app.browser, app.env.url);
    // Every GraphQL answer the page receives, to prove the credentials never come back.
    const graphqlBodies: string[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/graphql')) void response.text().then((body) => graphqlBodies.push(body), () => {});
    });
    try {
      await adminScenario(page);
    } catch (error) {
      await screenshot(page, 'config-failure').catch(() => {});
      console.log('page problems:', problems.errors);
      throw error;
    }
    expect(problems.errors).toEqual([]);
    expect(graphqlBodies.length).toBeGreaterThan(10);
    for (const body of graphqlBodies) {
      expect(body).not.toContain(CANARY_KEY);
      expect(body).not.toContain(CANARY_MERCHANT_NO);
    }
    await context.close();

    await financeScenario();
    console.log(`configuration browser scenario: ${((Date.now() - started) / 1000).toFixed(1)} s (${laps.join(', ')})`);
  });
});

/** Seconds spent per step, printed at the end (the run must stay short on a busy 2-core machine). */
const laps: string[] = [];
let lapStart = Date.now();
function lap(name: string): void {
  const now = Date.now();
  laps.push(`${name} ${((now - lapStart) / 1000).toFixed(1)}s`);
  lapStart = now;
}

async function adminScenario(page: Page): Promise<void> {
  const { prisma } = app.env;
  lapStart = Date.now();
  await page.goto('/config/services');
  await page.waitForURL(/\/login/);
  await signIn(page, 'admin@payrail.local', app.password);
  await page.waitForURL(/\/config\/services/);
  expect(await menuLabels(page)).toEqual(expect.arrayContaining(CONFIG_PAGES.map((p) => p.label)));

  lap('sign-in');
  // ── Service: the form checks before sending, then the catalogue lists the new service.
  await rowsOf(page, 'service-table');
  await screenshot(page, 'config-services-en-light');
  await page.getByTestId('service-create').click();
  const serviceDrawer = page.getByTestId('service-drawer');
  await serviceDrawer.getByTestId('service-save').click();
  expect(await serviceDrawer.innerText()).toContain('Required.');
  await type(page, 'service-code', 'thb_qr');
  await type(page, 'service-name', 'THB QR payin');
  await pick(page, 'service-kind', 'QR code');
  await pick(page, 'service-currency', 'THB · Thai Baht');
  await pick(page, 'service-fields', 'Payer name (payer_name)');
  await serviceDrawer.locator('.n-drawer-header').click();
  await screenshot(page, 'config-service-drawer-en-light');
  await serviceDrawer.getByTestId('service-save').click();
  await page.locator('[data-testid="service-table"] tr[data-code="THB_QR"]').waitFor();
  const service = await prisma.service.findUniqueOrThrow({ where: { code: 'THB_QR' } });
  expect(service).toMatchObject({ direction: 'PAYIN', kind: 'QR', currencyCode: 'THB', requiredFields: ['payer_name'], status: 'ENABLED' });

  lap('service');
  // ── Channel with write-only credentials.
  await navigate(page, '/config/channels');
  await rowsOf(page, 'channel-table');
  await screenshot(page, 'config-channels-en-light');
  await page.getByTestId('channel-create').click();
  const channelDrawer = page.getByTestId('channel-drawer');
  await type(page, 'channel-code', 'SBX_THB_QR');
  await type(page, 'channel-name', 'QR Gate THB (sandbox)');
  await pick(page, 'channel-currency', 'THB · Thai Baht');
  await type(page, 'channel-lower', '50.00');
  await type(page, 'channel-upper', '20000');
  await type(page, 'channel-settings', '{ "delayMs": 500 }');
  await type(page, 'credential-key', 'apiKey');
  await type(page, 'credential-value', CANARY_KEY);
  await channelDrawer.getByTestId('credential-add').click();
  await type(page, 'credential-key', 'merchantNo', 1);
  await type(page, 'credential-value', CANARY_MERCHANT_NO, 1);
  await channelDrawer.getByTestId('channel-save').click();
  // Saved: the drawer now shows the stored key names, and no value anywhere in the page.
  await channelDrawer.locator('[data-testid="credential-keys"] [data-key="apiKey"]').waitFor();
  await channelDrawer.locator('[data-testid="credential-keys"] [data-key="merchantNo"]').waitFor();
  let html = await page.content();
  expect(html).not.toContain(CANARY_KEY);
  expect(html).not.toContain(CANARY_MERCHANT_NO);
  const channel = await prisma.channel.findUniqueOrThrow({ where: { code: 'SBX_THB_QR' } });
  expect(channel).toMatchObject({ connector: 'sandbox', currencyCode: 'THB', paymentLowerBound: 5_000n, paymentUpperBound: 2_000_000n, settings: { delayMs: 500 } });
  expect(channel.credentialsEnc).toBeTruthy();
  expect(channel.credentialsEnc).not.toContain(CANARY_KEY);

  lap('channel');
  // Bind it to the new service: an amount with more decimals than THB has is refused before sending.
  await channelDrawer.locator('.n-tabs-tab', { hasText: /^Services$/ }).click();
  await channelDrawer.getByTestId('binding-create').click();
  const bindingModal = await settled(page.getByTestId('binding-modal'));
  await pick(page, 'binding-service', 'THB_QR');
  await type(page, 'binding-lower', '100.001');
  await type(page, 'binding-upper', '5000.00');
  await bindingModal.getByTestId('binding-save').click();
  expect(await bindingModal.innerText()).toContain('THB has 2 decimal places at most.');
  await type(page, 'binding-lower', '100.00');
  await type(page, 'binding-weight', '50');
  await bindingModal.getByTestId('binding-save').click();
  await channelDrawer.locator('[data-testid="binding-table"] tr[data-service-code="THB_QR"]').waitFor();
  const binding = await prisma.channelService.findFirstOrThrow({ where: { channelId: channel.id, serviceId: service.id } });
  expect(binding).toMatchObject({ lowerBound: 10_000n, upperBound: 500_000n, weight: 50, status: 'ENABLED' });
  await screenshot(page, 'config-channel-bindings-en-light');
  await channelDrawer.locator('.n-tabs-tab', { hasText: /^Details$/ }).click();
  await screenshot(page, 'config-channel-drawer-en-light');
  await page.keyboard.press('Escape');
  await channelDrawer.waitFor({ state: 'hidden' });

  lap('binding');
  // ── A merchant's service fee.
  await navigate(page, '/config/merchants');
  await rowsOf(page, 'merchant-table');
  await screenshot(page, 'config-merchants-en-light');
  await page.locator('[data-testid="merchant-table"] tr', { hasText: 'Siam Digital Market' }).click();
  const merchantDrawer = page.getByTestId('merchant-drawer');
  await merchantDrawer.locator('.n-tabs-tab', { hasText: 'Services and fees' }).click();
  const thbBank = merchantDrawer.locator('[data-testid="merchant-service-table"] tr[data-service-code="THB_BANK"]');
  await thbBank.getByTestId('merchant-service-edit').click();
  const msModal = await settled(page.getByTestId('merchant-service-modal'));
  await type(page, 'ms-fee-rate', '1.75');
  await type(page, 'ms-fee-fixed', '5.00');
  await msModal.getByTestId('ms-save').click();
  await msModal.waitFor({ state: 'hidden' });
  await expect.poll(() => thbBank.getByTestId('fee-rate').innerText()).toBe('1.75 %');
  await screenshot(page, 'config-merchant-services-en-light');
  const siam = await prisma.merchant.findFirstOrThrow({ where: { name: 'Siam Digital Market' } });
  const thbBankService = await prisma.service.findUniqueOrThrow({ where: { code: 'THB_BANK' } });
  const activation = await prisma.merchantService.findFirstOrThrow({ where: { merchantId: siam.id, serviceId: thbBankService.id } });
  expect(activation).toMatchObject({ feeRatePpm: 17_500n, feeFixed: 500n });
  await page.keyboard.press('Escape');

  lap('merchant-fee');
  // ── An FX rate (exact decimal string).
  await navigate(page, '/config/fx-rates');
  await rowsOf(page, 'fx-table');
  await screenshot(page, 'config-fx-rates-en-light');
  await page.getByTestId('fx-create').click();
  await settled(page.getByTestId('fx-modal'));
  await pick(page, 'fx-base', 'THB · Thai Baht');
  await pick(page, 'fx-quote', 'CNY · Chinese Yuan');
  await type(page, 'fx-rate-input', '0.2015');
  await page.getByTestId('fx-modal').getByTestId('fx-save').click();
  const fxRow = page.locator('[data-testid="fx-table"] tr[data-pair="THB/CNY"]');
  await fxRow.waitFor();
  expect(await fxRow.innerText()).toContain('1 THB = 0.2015 CNY');

  lap('fx');
  // ── A risk rule: a THB amount threshold, held for review.
  await navigate(page, '/config/risk-rules');
  await rowsOf(page, 'risk-table');
  await screenshot(page, 'config-risk-rules-en-light');
  await page.getByTestId('risk-create').click();
  await type(page, 'risk-name', 'Large THB payouts');
  await pick(page, 'risk-currency', 'THB · Thai Baht');
  await type(page, 'risk-threshold', '50000.00');
  await page.getByTestId('risk-drawer').getByTestId('risk-save').click();
  const riskRow = page.locator('[data-testid="risk-table"] tr[data-name="Large THB payouts"]');
  await riskRow.waitFor();
  expect(await riskRow.innerText()).toContain('50,000.00');
  expect(await prisma.riskRule.findFirstOrThrow({ where: { name: 'Large THB payouts' } })).toMatchObject({
    kind: 'AMOUNT_ABOVE', currencyCode: 'THB', threshold: 5_000_000n, action: 'REVIEW', direction: 'PAYOUT', merchantId: null,
  });

  lap('risk');
  // ── A custom role from a few permission codes; built-in roles are read-only.
  await navigate(page, '/config/roles');
  await rowsOf(page, 'role-table');
  await screenshot(page, 'config-roles-en-light');
  await page.locator('[data-testid="role-table"] tr[data-name="Finance"]').getByTestId('role-edit').click();
  await page.getByTestId('role-built-in').waitFor();
  expect(await page.getByTestId('role-drawer').getByTestId('role-save').count()).toBe(0);
  await page.keyboard.press('Escape');
  await page.getByTestId('role-drawer').waitFor({ state: 'hidden' });
  await page.getByTestId('role-create').click();
  const roleDrawer = page.getByTestId('role-drawer');
  await type(page, 'role-name', 'Audit desk');
  await type(page, 'role-description', 'Reads transactions and the audit log');
  for (const code of [1001, 1002, 5007]) await roleDrawer.locator(`[data-testid="permission-picker"] [data-code="${code}"]`).click();
  await screenshot(page, 'config-role-drawer-en-light');
  await roleDrawer.getByTestId('role-save').click();
  await page.locator('[data-testid="role-table"] tr[data-name="Audit desk"]').waitFor();
  const role = await prisma.role.findFirstOrThrow({ where: { name: 'Audit desk' } });
  expect(role).toMatchObject({ scope: 'GLOBAL', builtIn: false, merchantId: null });
  expect([...role.permissions].sort()).toEqual([1001, 1002, 5007]);

  lap('role');
  // ── A user holding it; the temporary password is shown once.
  await navigate(page, '/config/users');
  await rowsOf(page, 'user-table');
  await screenshot(page, 'config-users-en-light');
  await page.getByTestId('user-create').click();
  await type(page, 'user-email', 'auditor@payrail.local');
  await type(page, 'user-name', 'Ada Auditor');
  await pick(page, 'user-roles', 'Audit desk');
  await page.getByTestId('user-drawer').locator('.n-drawer-header').click();
  await page.getByTestId('user-drawer').getByTestId('user-save').click();
  const temporary = page.getByTestId('temporary-password').locator('input');
  await temporary.waitFor();
  const temporaryPassword = await temporary.inputValue();
  expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
  await screenshot(page, 'config-user-password-once-en-light');
  await page.getByTestId('password-once-close').click();
  const userRow = page.locator('[data-testid="user-table"] tr[data-email="auditor@payrail.local"]');
  await userRow.waitFor();
  expect(await userRow.innerText()).toContain('Audit desk');
  expect(await page.content()).not.toContain(temporaryPassword);

  lap('user');
  // The new user signs in with it (enrolling TOTP as staff do), must replace the password the
  // administrator saw, and gets exactly the role's pages.
  const auditor = await openPage(app.browser, app.env.url);
  await auditor.page.goto('/');
  await signIn(auditor.page, 'auditor@payrail.local', temporaryPassword, {
    newPassword: 'auditor-chose-this-one',
    onPasswordStep: async () => {
      await screenshot(auditor.page, 'login-new-password-en-light');
    },
  });
  expect(await prisma.user.findUniqueOrThrow({ where: { email: 'auditor@payrail.local' } })).toMatchObject({ mustChangePassword: false });
  const auditorMenu = await menuLabels(auditor.page);
  expect(auditorMenu).toEqual(expect.arrayContaining(['Audit log']));
  for (const label of EDITOR_LABELS) expect(auditorMenu).not.toContain(label);
  expect(auditor.problems.errors).toEqual([]);
  await auditor.context.close();

  // Their administration: a new temporary password (asked first, shown once), then disabled.
  await userRow.getByTestId('user-actions').click();
  await page.locator('.n-dropdown-option:visible', { hasText: 'Reset password' }).click();
  await page.getByTestId('confirm-ok').click();
  const second = page.getByTestId('temporary-password').locator('input');
  await second.waitFor();
  expect(await second.inputValue()).not.toBe(temporaryPassword);
  await page.getByTestId('password-once-close').click();
  await userRow.getByTestId('user-actions').click();
  await page.locator('.n-dropdown-option:visible', { hasText: 'Disable' }).click();
  await page.getByTestId('confirm-ok').click();
  await expect.poll(() => userRow.locator('[data-status]').getAttribute('data-status')).toBe('DISABLED');
  expect(await prisma.user.findUniqueOrThrow({ where: { email: 'auditor@payrail.local' } })).toMatchObject({ status: 'DISABLED' });

  lap('auditor-sign-in');
  // ── The audit log shows every change, with a before/after diff.
  await navigate(page, '/config/audit');
  await rowsOf(page, 'audit-table');
  const actions = await page.locator('[data-testid="audit-table"] tbody tr[data-action]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  expect(actions).toEqual(
    expect.arrayContaining(['service.create', 'channel.create', 'channel_service.bind', 'merchant_service.update', 'fx_rate.set', 'risk_rule.create', 'role.create', 'user.create', 'user.reset_password', 'user.disable']),
  );
  await screenshot(page, 'config-audit-en-light');
  // Filter by action (kept in the URL), expand the fee change.
  await page.getByTestId('audit-actions').click();
  await page.locator('.n-base-select-option:visible', { hasText: /^Update merchant service$/ }).click();
  await page.getByTestId('audit-apply').click();
  await page.waitForURL(/[?&]actions=merchant_service\.update/);
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="audit-table"] tbody tr[data-action]')];
    return rows.length > 0 && rows.every((r) => r.getAttribute('data-action') === 'merchant_service.update');
  });
  const feeRow = page.locator('[data-testid="audit-table"] tbody tr[data-action="merchant_service.update"]').first();
  expect(await feeRow.innerText()).toContain('admin@payrail.local');
  await feeRow.locator('.n-data-table-expand-trigger').click();
  const diff = page.getByTestId('audit-diff').first();
  await diff.waitFor();
  expect(await diff.locator('tr[data-key="feeRate"]').getAttribute('data-change')).toBe('changed');
  expect(await diff.locator('tr[data-key="feeRate"]').innerText()).toMatch(/2\.2\s+1\.75/);
  expect(await diff.locator('tr[data-key="settlementDays"]').getAttribute('data-change')).toBe('same');
  // Money in a snapshot is kept in minor units and shown in its currency.
  expect(await diff.locator('tr[data-key="feeFixed"] .diff__value--after').innerText()).toBe('5.00 THB (500)');
  await screenshot(page, 'config-audit-diff-en-light');
  // The channel's audit entry records that credentials exist, never their values.
  await page.goto('/config/audit?actions=channel.create');
  const channelEntry = page.locator('[data-testid="audit-table"] tbody tr[data-action="channel.create"]').first();
  await channelEntry.locator('.n-data-table-expand-trigger').click();
  await page.getByTestId('audit-diff').first().locator('tr[data-key="hasCredentials"]').waitFor();
  html = await page.content();
  expect(html).not.toContain(CANARY_KEY);
  expect(html).not.toContain(CANARY_MERCHANT_NO);

  lap('audit');
  // ── Chinese, dark: every configuration page.
  await page.getByTestId('theme-switch').click();
  await page.getByTestId('language-switch').click();
  await page.getByText('简体中文').click();
  for (const p of CONFIG_PAGES) {
    await navigate(page, p.path);
    await rowsOf(page, p.table);
    await screenshot(page, `config-${p.shot}-zh-dark`);
  }
  expect(await page.getByTestId('audit-table').innerText()).toContain('操作人');
  await navigate(page, '/config/channels');
  await page.locator('[data-testid="channel-table"] tr[data-code="SBX_THB_QR"]').click();
  // Re-opened from the list: still only the key names.
  await page.getByTestId('channel-drawer').locator('[data-testid="credential-keys"] [data-key="apiKey"]').waitFor();
  expect(await page.getByTestId('channel-drawer').innerText()).toContain('只写');
  html = await page.content();
  expect(html).not.toContain(CANARY_KEY);
  expect(html).not.toContain(CANARY_MERCHANT_NO);
  await screenshot(page, 'config-channel-drawer-zh-dark');
  lap('zh-dark');
}

async function financeScenario(): Promise<void> {
  const { page, problems, context } = await openPage(app.browser, app.env.url, { colorScheme: 'dark' });
  await page.goto('/');
  await signIn(page, 'finance@payrail.local', app.password);
  const menu = await menuLabels(page);
  expect(menu).toContain('Audit log');
  for (const label of EDITOR_LABELS) expect(menu).not.toContain(label);
  await navigate(page, '/config/audit');
  await rowsOf(page, 'audit-table');
  await screenshot(page, 'config-audit-finance-en-dark');
  // An editor's address leads to the "not allowed" page.
  await page.goto('/config/channels');
  await page.waitForURL(/\/forbidden/);
  expect(problems.errors).toEqual([]);
  await context.close();
  lap('finance');
}
