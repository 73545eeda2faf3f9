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

    const viewer = await openPage(app.browser, app.env.url);
    await viewer.page.goto('/');
    await signIn(viewer.page, 'viewer@golden-lotus.demo', app.password);
    const viewerMenu = await menuLabels(viewer.page);
    console.log({ adminMenu, viewerMenu });
    expect(admin.problems.errors).toEqual([]);
    expect(viewer.problems.errors).toEqual([]);
    await admin.context.close();
    await viewer.context.close();
  });
});
