import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppEnvironment, type AppEnvironment } from './support/app-environment.ts';
import { openPage, screenshot, type PageProblems } from './support/browser.ts';
import { settled, signIn } from './support/spa-actions.ts';

/**
 * Financial center, operations and merchant center in a real browser against a real server with the
 * demo data: a merchant owner asks for a withdrawal (its amount and fee are frozen), finance approves
 * it in the review queue and the merchant's frozen balance drops by exactly that much; an administrator
 * creates a test deposit with the seed-001 range hint and gets a working cashier link; the statements
 * page shows the days with its chart and the ledger entries of a day. Screenshots in light/English and
 * dark/Chinese.
 */

let app: AppEnvironment;

beforeAll(async () => {
  app = await startAppEnvironment({ orders: 30 });
}, 240_000);

afterAll(async () => {
  await app?.stop();
});

/** "1,234.50 CNY" (or "available 1,234.50 CNY") → minor units, exactly (no float on the way). */
function units(text: string, digits = 2): bigint {
  const match = /(-?)([\d,]+)(?:\.(\d+))?/.exec(text);
  if (!match) throw new Error(`no amount in "${text}"`);
  const fraction = (match[3] ?? '').padEnd(digits, '0');
  if (fraction.length > digits) throw new Error(`too many digits in "${text}"`);
  const value = BigInt(match[2]!.replace(/,/g, '') + fraction);
  return match[1] === '-' ? -value : value;
}

async function pickOption(page: Page, testid: string, text: string | RegExp, search?: string): Promise<void> {
  await page.getByTestId(testid).click();
  if (search) await page.keyboard.type(search);
  await page.locator('.n-base-select-option', { hasText: text }).first().click();
}

/** Switches the signed-in page to the dark theme and Chinese, as a person's saved choice would. */
async function darkChinese(page: Page): Promise<void> {
  await page.evaluate(() => {
    localStorage.setItem('payrail.theme', 'dark');
    localStorage.setItem('payrail.locale', 'zh-CN');
  });
}

function noProblems(problems: PageProblems): void {
  expect(problems.errors).toEqual([]);
}

describe('financial center, operations and merchant center in a real browser', () => {
  let requestNo = '';
  let heldByRequest = 0n;

  it('a merchant owner requests a withdrawal: checked before sending, amount and fee frozen, listed as New', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(app.browser, app.env.url);
    await page.goto('/finance/funds');
    await signIn(page, 'owner@golden-lotus.demo', app.password);
    await page.waitForURL(/\/finance\/funds/);
    const cny = page.locator('[data-testid="fund-balances"] [data-currency="CNY"]');
    await cny.waitFor();
    const availableBefore = units(await cny.getByTestId('balance-available').innerText());
    const frozenBefore = units(await cny.getByTestId('balance-frozen').innerText());
    await page.getByTestId('fund-request-table').locator('tbody tr').first().waitFor();
    await screenshot(page, 'finance-funds-light-en');

    await page.getByTestId('open-withdrawal').click();
    const modal = await settled(page.getByTestId('fund-request-modal'));
    await pickOption(page, 'fund-currency', /^CNY$/);
    await pickOption(page, 'fund-destination', 'ICBC');
    // Three decimals in CNY: refused in the form, nothing is sent.
    await page.getByTestId('fund-amount').locator('input').fill('100.005');
    await page.getByTestId('fund-submit').click();
    await expect.poll(() => modal.innerText()).toContain('at most 2 decimal places');
    await page.getByTestId('fund-amount').locator('input').fill('100.00');
    await page.getByTestId('fund-note').locator('textarea').fill('Browser test withdrawal');
    await screenshot(page, 'finance-withdrawal-form-light-en');
    await page.getByTestId('fund-submit').click();

    const created = page.getByTestId('fund-created');
    await created.waitFor();
    const createdText = await created.innerText();
    requestNo = /Request (\S+) sent/.exec(createdText)?.[1] ?? '';
    expect(requestNo).not.toBe('');
    const fee = units(createdText.split('fee')[1] ?? '');
    heldByRequest = 100_00n + fee;

    const row = page.locator(`[data-request-no="${requestNo}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('NEW');
    await expect.poll(async () => units(await cny.getByTestId('balance-available').innerText())).toBe(availableBefore - heldByRequest);
    const frozenAfterRequest = units(await cny.getByTestId('balance-frozen').innerText());
    expect(frozenAfterRequest).toBe(frozenBefore + heldByRequest);

    // The merchant center, read by the owner (light, English).
    await page.goto('/merchant/info');
    await page.getByTestId('merchant-services').waitFor();
    expect(await page.getByTestId('merchant-mchid').innerText()).toMatch(/^\d{10}$/);
    await screenshot(page, 'merchant-info-light-en');
    await page.goto('/merchant/apps');
    await page.getByTestId('app-open').first().click();
    await page.getByTestId('platform-pem').first().waitFor();
    expect(await page.getByTestId('platform-pem').first().innerText()).toContain('BEGIN PUBLIC KEY');
    await screenshot(page, 'merchant-app-detail-light-en');

    // Dark theme, Chinese.
    await darkChinese(page);
    await page.goto('/finance/funds');
    await page.locator('[data-testid="fund-balances"] [data-currency="CNY"]').waitFor();
    await page.getByTestId('fund-request-table').locator('tbody tr').first().waitFor();
    await screenshot(page, 'finance-funds-dark-zh');
    await page.goto('/merchant/info');
    await page.getByTestId('merchant-services').waitFor();
    await screenshot(page, 'merchant-info-dark-zh');
    await page.goto('/merchant/apps');
    await page.getByTestId('apps-table').locator('tbody tr').first().waitFor();
    await screenshot(page, 'merchant-apps-dark-zh');
    noProblems(problems);
    await context.close();
  });

  it('finance approves it in the review queue with a note; the frozen balance drops by amount + fee', { timeout: 60_000 }, async () => {
    expect(requestNo).not.toBe('');
    const { context, page, problems } = await openPage(app.browser, app.env.url);
    await page.goto('/finance/review');
    await signIn(page, 'finance@payrail.local', app.password);
    await page.waitForURL(/\/finance\/review/);
    const row = page.locator(`[data-request-no="${requestNo}"]`);
    await row.waitFor();
    await row.getByTestId('review-open').click();
    const modal = await settled(page.getByTestId('review-modal'));
    await modal.getByTestId('review-frozen').waitFor();
    // What the modal shows now: the demo's own payouts settle in the background (the janitor picks up
    // their in-flight ones within the first minutes), so the frozen balance may have moved since the
    // request was made; what must hold is that it still contains the request, and that approving
    // releases exactly amount + fee from it.
    const frozenShown = units(await modal.getByTestId('review-frozen').innerText());
    expect(frozenShown).toBeGreaterThanOrEqual(heldByRequest);
    // A centred dialog of a fixed width that restates what moves: the total frozen for the request and
    // the balances after either decision (approval pays the frozen total out; rejection returns it).
    const box = (await modal.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(680);
    expect(Math.abs(box.x + box.width / 2 - 720)).toBeLessThan(8);
    expect(units(await modal.getByTestId('review-total').innerText())).toBe(heldByRequest);
    const afterTable = modal.getByTestId('review-balances-after');
    expect(units(await afterTable.locator('[data-balance="frozen"] [data-after="APPROVED"]').innerText())).toBe(frozenShown - heldByRequest);
    expect(units(await afterTable.locator('[data-balance="frozen"] [data-after="REJECTED"]').innerText())).toBe(frozenShown - heldByRequest);
    // The note is mandatory.
    await modal.getByTestId('review-approve').click();
    await expect.poll(() => modal.innerText()).toContain('Write a note');
    await modal.getByTestId('review-note').locator('textarea').fill('Paid, bank ref ICBC0000042');
    await screenshot(page, 'finance-review-light-en');
    await modal.getByTestId('review-approve').click();

    const outcome = page.getByTestId('review-outcome');
    await expect.poll(() => outcome.innerText()).toMatch(/frozen/);
    const text = await outcome.innerText();
    // The message names what happened: the request, what moved and where to.
    expect(text).toMatch(new RegExp(`Withdrawal ${requestNo} approved: [\\d,]+\\.\\d+\\sCNY to `));
    expect(units(text.split('frozen')[1] ?? '')).toBe(frozenShown - heldByRequest);
    await expect.poll(() => row.count()).toBe(0);

    await darkChinese(page);
    await page.goto('/finance/review?status=ALL');
    await page.getByTestId('fund-request-table').locator('tbody tr').first().waitFor();
    await screenshot(page, 'finance-review-dark-zh');
    noProblems(problems);
    await context.close();
  });

  it('an administrator creates a test deposit with the range hint and gets a cashier link; statements by day', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(app.browser, app.env.url);
    await page.goto('/operations/create-payin');
    await signIn(page, 'admin@payrail.local', app.password);
    await page.waitForURL(/\/operations\/create-payin/);
    await pickOption(page, 'op-merchant', 'Golden Lotus Games', 'Golden');
    await pickOption(page, 'op-service', 'CNY_ALIPAY');

    const hint = page.getByTestId('range-hint');
    await hint.getByTestId('range-text').waitFor();
    expect(await hint.getByTestId('range-text').innerText()).toMatch(/Available range: .*CNY/);
    expect(await hint.getByTestId('range-lower').innerText()).toMatch(/Lower bound .* (channel limit|service limit|channel-service bound)/);
    expect(await hint.getByTestId('range-upper').innerText()).toMatch(/Upper bound .* (channel limit|service limit|channel-service bound)/);

    // Below the range: refused in the form.
    await page.getByTestId('op-amount').locator('input').fill('0.01');
    await page.getByTestId('op-submit').click();
    await expect.poll(async () => (await page.locator('.n-form-item-feedback').allInnerTexts()).join('\n')).toMatch(/Below the lower bound/);
    await page.getByTestId('op-amount').locator('input').fill('200.00');
    await page.getByTestId('op-field-payer_name').locator('input').fill('Wang Fang');
    await screenshot(page, 'operations-create-payin-light-en');
    await page.getByTestId('op-submit').click();

    const result = page.getByTestId('payin-result');
    await result.waitFor();
    const paymentUrl = (await result.getByTestId('payment-url').innerText()).trim();
    expect(paymentUrl.startsWith(`${app.env.url}/pay/`)).toBe(true);
    expect(await result.getByTestId('open-cashier').getAttribute('href')).toBe(paymentUrl);
    expect(await result.getByTestId('open-cashier').getAttribute('target')).toBe('_blank');
    expect(await result.getByTestId('result-order-link').getAttribute('href')).toMatch(/^\/transactions\/payins\?open=/);
    const cashier = await page.request.get(paymentUrl);
    expect(cashier.status()).toBe(200);
    await screenshot(page, 'operations-payin-created-light-en');

    // The order query finds it by its number and links into the transaction center.
    const orderNo = (await result.getByTestId('result-order-link').innerText()).trim();
    await page.goto(`/operations/order-query?q=${encodeURIComponent(orderNo)}`);
    const found = page.getByTestId('lookup-payins').getByTestId('lookup-payin-link');
    await found.waitFor();
    expect((await found.innerText()).trim()).toBe(orderNo);
    expect(await found.getAttribute('href')).toMatch(/^\/transactions\/payins\?open=/);
    await screenshot(page, 'operations-order-query-light-en');

    await page.goto('/finance/statements');
    const table = page.getByTestId('statements-table');
    await table.locator('tbody tr').first().waitFor();
    await page.getByTestId('trend-chart').locator('svg').waitFor();
    await screenshot(page, 'finance-statements-light-en');
    await page.getByTestId('statement-entries').first().click();
    const drawer = page.getByTestId('ledger-entries-drawer');
    await drawer.locator('tbody tr').first().waitFor();
    // Movements in words and references by number, linked; never a code or a uuid.
    for (const kind of await drawer.getByTestId('entry-kind').allInnerTexts()) expect(kind).not.toMatch(/[A-Z]{2,}_[A-Z]+|^[A-Z]{4,}$/);
    expect(await drawer.innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
    const references = drawer.locator('a[data-testid="entry-reference"]');
    await references.first().waitFor();
    const referenceText = (await references.first().innerText()).trim();
    expect(referenceText).toMatch(/^(Payin|Payout|Fund request) [A-Z0-9]+$/);
    expect(await references.first().getAttribute('href')).toMatch(/^\/(transactions\/(payins|payouts)\?open=|finance\/funds\?requestNo=)/);
    await screenshot(page, 'finance-statement-entries-light-en');
    // A payin's or payout's link opens its drawer.
    const drawerLink = drawer.locator('a[data-testid="entry-reference"][href*="open="]').first();
    const number = (await drawerLink.innerText()).trim().split(' ').pop()!;
    await drawerLink.click();
    await page.waitForURL(/\/transactions\/(payins|payouts)\?open=/);
    await expect.poll(() => page.locator('[data-testid="payin-drawer"], [data-testid="payout-drawer"]').first().innerText(), { timeout: 15_000 }).toContain(number);
    await screenshot(page, 'finance-reference-opened-light-en');

    await darkChinese(page);
    await page.goto('/finance/statements');
    await page.getByTestId('statements-table').locator('tbody tr').first().waitFor();
    await page.getByTestId('trend-chart').locator('svg').waitFor();
    await screenshot(page, 'finance-statements-dark-zh');
    await page.goto('/operations/create-payin');
    await pickOption(page, 'op-merchant', 'Siam Digital Market', 'Siam');
    await pickOption(page, 'op-service', 'THB_BANK');
    await page.getByTestId('range-hint').getByTestId('range-text').waitFor();
    await screenshot(page, 'operations-create-payin-dark-zh');
    noProblems(problems);
    await context.close();
  });
});
