import { createServer, type Server } from 'node:http';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppEnvironment, type AppEnvironment } from './support/app-environment.ts';
import { openPage, screenshot } from './support/browser.ts';
import { settled, signIn } from './support/spa-actions.ts';

/**
 * "Postback resend" in a real browser (seed 000/002, issue "Back office polish" defect 1): an order
 * whose postback status is "Error sending" with no callback on record (as the demo data and older rows
 * are) gets its callback through the drawer's "Resend notification"; a callback that failed and waits
 * for its retry shows Resend and goes out at once. The merchant is a real HTTP receiver on 127.0.0.1.
 */

let app: AppEnvironment;
let receiver: Server;
let notifyUrl = '';
const received: Array<{ eventId: string; answered: number }> = [];
let down = true;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const answered = down ? 500 : 200;
      received.push({ eventId: (JSON.parse(body) as { event_id: string }).event_id, answered });
      response.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'success' : 'down');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  notifyUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/notify`;
  app = await startAppEnvironment({ orders: 12 });
}, 240_000);

afterAll(async () => {
  receiver?.closeAllConnections();
  if (receiver) await new Promise((resolve) => receiver.close(resolve));
  await app?.stop();
});

describe('postback resend in a real browser', () => {
  it('sends an order\'s notification that never went out, and a retrying callback at once, from the drawer', { timeout: 120_000 }, async () => {
    const { prisma } = app.env;
    const order = await prisma.order.findFirstOrThrow({ where: { status: 'SUCCEEDED', test: false }, orderBy: { createdAt: 'desc' } });
    await prisma.order.update({ where: { id: order.id }, data: { postbackStatus: 'ERROR', notifyUrl } });
    expect(await prisma.delivery.count({ where: { orderId: order.id } })).toBe(0);

    const { page, problems, context } = await openPage(app.browser, app.env.url);
    try {
      await page.goto(`/transactions/payins?open=${encodeURIComponent(encodeGlobalID('Payin', order.id))}`);
      await page.waitForURL(/\/login/);
      await signIn(page, 'admin@payrail.local', app.password);
      const drawer = page.getByTestId('payin-drawer');
      await drawer.getByTestId('payin-details').waitFor();
      await drawer.locator('.n-tabs-tab', { hasText: /Callbacks/ }).click();
      await drawer.getByText('No callback to the merchant yet.').waitFor();

      // Order level: the callback of the current status is recorded and sent; the merchant is down.
      await drawer.getByTestId('drawer-actions').locator('[data-action="resendNotification"]').click();
      const dialog = await settled(page.getByTestId('action-dialog'));
      await dialog.getByTestId('action-confirm').click();
      await dialog.waitFor({ state: 'hidden' });
      await drawer.getByTestId('delivery-list').waitFor({ timeout: 15_000 });
      await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1);
      const delivery = await prisma.delivery.findFirstOrThrow({ where: { orderId: order.id } });
      expect(received[0]).toEqual({ eventId: delivery.eventId, answered: 500 });
      // Retrying (first retry 15 s away): the list shows the failed attempt and offers Resend.
      await drawer.getByTestId('delivery-list').getByText('HTTP 500').waitFor({ timeout: 15_000 });
      const resend = drawer.getByTestId('delivery-resend');
      await resend.waitFor();
      await page.mouse.move(10, 10);
      await screenshot(page, 'postback-resend-retrying-en');

      // The merchant is back: Resend sends it now, long before the retry would.
      down = false;
      const clicked = Date.now();
      await resend.click();
      await page.locator('.n-popconfirm').getByRole('button', { name: /Confirm|OK/ }).click();
      await expect.poll(() => received.length, { timeout: 8_000 }).toBe(2);
      expect(Date.now() - clicked).toBeLessThan(8_000);
      expect(received[1]).toEqual({ eventId: delivery.eventId, answered: 200 });
      await drawer.getByTestId('delivery-list').getByText('HTTP 200').waitFor({ timeout: 15_000 });
      await expect.poll(async () => (await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).postbackStatus, { timeout: 10_000 }).toBe('SENT');
      // The callback's facts and attempts follow the live update (not the state the drawer first showed).
      const list = drawer.getByTestId('delivery-list');
      await list.locator('tbody tr').nth(1).waitFor({ timeout: 10_000 });
      expect(await list.locator('tbody tr').count()).toBe(2);
      expect(await list.innerText()).not.toContain('Not attempted yet.');
      expect(await list.innerText()).not.toContain('Next attempt');
      expect(await list.innerText()).toContain('Delivered');
      // A delivered callback can be resent too.
      await resend.waitFor();
      expect(await prisma.auditLog.count({ where: { action: 'order.resend_notification', entityId: order.id } })).toBe(1);
      expect(await prisma.auditLog.count({ where: { action: 'delivery.resend', entityId: delivery.id } })).toBe(1);
      await screenshot(page, 'postback-resend-sent-en');

      // Chinese: the same drawer, its action and the callback's Resend.
      await page.keyboard.press('Escape');
      await page.waitForURL((url) => !url.searchParams.has('open'));
      await page.getByTestId('language-switch').click();
      await page.getByText('简体中文').click();
      await page.goto(`/transactions/payins?open=${encodeURIComponent(encodeGlobalID('Payin', order.id))}`);
      await drawer.getByTestId('payin-details').waitFor();
      expect(await drawer.getByTestId('drawer-actions').innerText()).toContain('重发通知');
      await drawer.locator('.n-tabs-tab', { hasText: /回调/ }).click();
      await drawer.getByTestId('delivery-list').waitFor();
      expect(await drawer.getByTestId('delivery-resend').innerText()).toContain('重发');
      await page.mouse.move(10, 10);
      await screenshot(page, 'postback-resend-zh');
    } catch (error) {
      await screenshot(page, 'postback-resend-failure').catch(() => {});
      console.log('page problems:', problems.errors);
      throw error;
    }
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
