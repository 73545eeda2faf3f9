import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppEnvironment, type AppEnvironment } from './support/app-environment.ts';
import { openPage, screenshot } from './support/browser.ts';
import { signIn } from './support/spa-actions.ts';

/**
 * The back office in Chinese leaves nothing in English that it can translate: naive-ui's own
 * placeholders and date picker (locale and dateLocale on the config provider), built-in role names and
 * descriptions (by the role's key; a custom role keeps its own name), currency names, audit entity
 * types and audit action codes. Screenshots at 1440×900 in Chinese.
 */

let app: AppEnvironment;

beforeAll(async () => {
  app = await startAppEnvironment({ orders: 6 });
}, 240_000);

afterAll(async () => {
  await app?.stop();
});

/** naive-ui's English defaults (inputs, selects, date pickers, pagination, empty states). */
const NAIVE_ENGLISH = ['Please Input', 'Please Select', 'Start Date', 'End Date', 'Select Date', 'Start Time', 'End Time', 'No Data'];
const ROLE_ENGLISH = ['Administrator', 'Support Agent', 'Merchant Owner', 'Merchant Operator', 'Merchant Viewer', 'Full access', 'Read-only access'];

/** What a person reads on the page: the text, plus placeholders native inputs hold as attributes. */
async function readable(page: Page): Promise<string> {
  return page.evaluate(() => {
    const placeholders = [...document.querySelectorAll('input[placeholder], textarea[placeholder]')].map((el) => el.getAttribute('placeholder'));
    return [document.body.innerText, ...placeholders].join('\n');
  });
}

function expectNone(text: string, words: readonly string[]): void {
  for (const word of words) expect(text, `"${word}" still shown`).not.toContain(word);
}

/** The options of the select with this test id, opened (then closed again). */
async function selectOptions(page: Page, testId: string): Promise<string> {
  await page.getByTestId(testId).click();
  const menu = page.locator('.n-base-select-menu').last();
  await menu.waitFor();
  const text = await menu.innerText();
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden' });
  return text;
}

describe('back office in Chinese', () => {
  it('translates naive-ui placeholders and pickers, built-in roles, currencies and the audit log', { timeout: 180_000 }, async () => {
    const { prisma } = app.env;
    await prisma.role.create({ data: { name: 'Night shift', description: 'Watches payouts overnight.', scope: 'GLOBAL', builtIn: false, permissions: [1001] } });
    const { page, problems } = await openPage(app.browser, app.env.url);
    try {
      await page.goto('/config/roles');
      await page.waitForURL(/\/login/);
      await signIn(page, 'admin@payrail.local', app.password);
      await page.waitForURL(/\/config\/roles/);
      await page.locator('tbody tr', { hasText: 'Administrator' }).first().waitFor();
      await page.getByTestId('language-switch').click();
      await page.getByText('简体中文').click();

      // ── Roles: built-in ones by key, in Chinese; the custom role as its creator named it.
      await page.locator('tbody tr', { hasText: '管理员' }).first().waitFor();
      let text = await readable(page);
      expectNone(text, [...NAIVE_ENGLISH, ...ROLE_ENGLISH]);
      for (const name of ['管理员', '财务', '客服', '商户所有者', '商户操作员', '商户只读成员', '全部权限']) expect(text).toContain(name);
      expect(text).toContain('Night shift');
      await screenshot(page, 'zh-roles');
      await page.locator('tr[data-built-in="true"]', { hasText: '管理员' }).getByTestId('role-edit').click();
      const roleName = page.getByTestId('role-name').locator('input');
      await roleName.waitFor();
      expect(await roleName.inputValue()).toBe('管理员');
      expect(await page.getByTestId('role-description').locator('textarea').inputValue()).toContain('全部权限');
      await screenshot(page, 'zh-role-drawer');
      await page.keyboard.press('Escape');
      await roleName.waitFor({ state: 'hidden' });

      // ── Users: role tags, the role filter and the role picker of the user drawer.
      await page.goto('/config/users');
      await page.getByTestId('user-table').locator('tbody tr').first().waitFor();
      await page.getByTestId('user-table').getByText('管理员').first().waitFor();
      text = await readable(page);
      expectNone(text, [...NAIVE_ENGLISH, ...ROLE_ENGLISH]);
      await screenshot(page, 'zh-users');
      await page.getByTestId('user-create').click();
      const rolesPicker = page.getByTestId('user-roles');
      await rolesPicker.waitFor();
      const picked = await selectOptions(page, 'user-roles');
      expect(picked).toContain('管理员');
      expect(picked).toContain('Night shift');
      expectNone(picked, ROLE_ENGLISH);
      text = await readable(page);
      expectNone(text, [...NAIVE_ENGLISH, ...ROLE_ENGLISH]);
      await screenshot(page, 'zh-user-drawer');
      await page.keyboard.press('Escape');
      await rolesPicker.waitFor({ state: 'hidden' });

      // ── The signed-in user's own roles (settings) in Chinese.
      await page.goto('/settings');
      await page.getByText('管理员').first().waitFor();
      expectNone(await readable(page), [...NAIVE_ENGLISH, ...ROLE_ENGLISH]);

      // ── A transaction list's filter bar: inputs, selects, date range.
      await page.goto('/transactions/payins');
      await page.locator('tbody tr').first().waitFor();
      text = await readable(page);
      expectNone(text, NAIVE_ENGLISH);
      await screenshot(page, 'zh-payins-filters');

      // ── FX rates: currency names in the currency pickers.
      await page.goto('/config/fx-rates');
      await page.getByTestId('fx-create').click();
      await page.getByTestId('fx-base').waitFor();
      const currencies = await selectOptions(page, 'fx-base');
      expect(currencies).toContain('泰铢');
      expectNone(currencies, ['Thai Baht', 'Thai baht', 'Indonesian Rupiah', 'Rupiah']);
      await screenshot(page, 'zh-fx-modal');
      await page.keyboard.press('Escape');
      // The system status page's currency table.
      await page.goto('/status');
      await page.getByText('泰铢').first().waitFor();
      expectNone(await readable(page), ['Thai Baht', 'Thai baht', 'Indonesian Rupiah', 'Brazilian Real']);

      // ── Audit log: action codes and entity types as words; the date range picker in Chinese.
      await page.goto('/config/audit');
      const audit = page.getByTestId('audit-table');
      await audit.locator('tr[data-action="auth.login"]').first().waitFor();
      text = await readable(page);
      expectNone(text, [...NAIVE_ENGLISH, 'auth.login', 'auth.mfa_verified']);
      expect(await audit.locator('tr[data-action="auth.login"]').first().innerText()).toContain('登录');
      expect(await audit.innerText()).toContain('用户');
      const actions = await selectOptions(page, 'audit-actions');
      expect(actions).toContain('创建商户');
      expect(actions).not.toMatch(/[a-z_]+\.[a-z_]+/);
      const entities = await selectOptions(page, 'audit-entity-type');
      expect(entities).toContain('风控规则');
      expect(entities).not.toContain('RiskRule');
      await screenshot(page, 'zh-audit');
      await page.locator('.n-date-picker').click();
      const panel = page.locator('.n-date-panel');
      await panel.waitFor();
      const panelText = await panel.innerText();
      expect(panelText).toMatch(/确认|确定/);
      expectNone(panelText, ['Confirm', 'Clear', 'Mon', 'Jan']);
      await screenshot(page, 'zh-audit-date-picker');
      await page.keyboard.press('Escape');

      expect(problems.errors).toEqual([]);
    } catch (error) {
      await screenshot(page, 'zh-locale-failure').catch(() => {});
      console.log('page problems:', problems.errors);
      throw error;
    }
  });
});
