import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppEnvironment, type AppEnvironment } from './support/app-environment.ts';
import { openPage, screenshot } from './support/browser.ts';
import { menuLabels, signIn } from './support/spa-actions.ts';

let app: AppEnvironment;

beforeAll(async () => {
  app = await startAppEnvironment();
}, 240_000);

afterAll(async () => {
  await app?.stop();
});

describe('admin SPA in a real browser', () => {
  it('signs staff in with TOTP enrolment and a merchant viewer with a password; their menus differ', { timeout: 120_000 }, async () => {
    const admin = await openPage(app.browser, app.env.url);
    await admin.page.goto('/');
    await admin.page.waitForURL(/\/login/);
    await screenshot(admin.page, 'login');
    await signIn(admin.page, 'admin@payrail.local', app.password);
    const adminMenu = await menuLabels(admin.page);
    // The dashboard (seed 002 statistics): balances, and the charts by day once the data is in.
    await admin.page.goto('/dashboard');
    await admin.page.getByTestId('dashboard-stats').waitFor();
    await admin.page.getByTestId('metric-amount').waitFor();
    await admin.page.locator('svg path, canvas').first().waitFor();
    await screenshot(admin.page, 'dashboard-en-light');

    const viewer = await openPage(app.browser, app.env.url);
    await viewer.page.goto('/');
    await signIn(viewer.page, 'viewer@golden-lotus.demo', app.password);
    const viewerMenu = await menuLabels(viewer.page);
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
