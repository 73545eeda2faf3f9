import type { Locator, Page } from 'playwright-core';
import { totpCode } from '../../../src/modules/auth/totp.ts';

/**
 * What a person does in the admin SPA, as reusable steps. Selectors prefer roles, labels and
 * `data-testid` over CSS structure.
 */

/** Types a TOTP code into the 6-box code input of the login/enrolment step. */
export async function typeTotp(page: Page, code: string): Promise<void> {
  const box = page.getByTestId('totp-code').locator('input').first();
  await box.click();
  await page.keyboard.type(code);
}

/**
 * Signs in through the login form. Staff without TOTP are made to enrol: the test reads the secret
 * the page shows (as a person would type it into their app) and answers with the current code. A
 * user whose password an administrator set is asked for a new one: `newPassword` answers that step
 * (`onPasswordStep` runs first, e.g. for a screenshot). Returns the TOTP secret when one was enrolled.
 */
export async function signIn(
  page: Page,
  email: string,
  password: string,
  opts: { totpSecret?: string; newPassword?: string; onPasswordStep?: () => Promise<void> } = {},
): Promise<{ totpSecret?: string }> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByTestId('login-submit').click();
  const outcome = await Promise.race([
    page.getByTestId('main-menu').waitFor().then(() => 'in' as const),
    page.getByTestId('totp-enrol').waitFor().then(() => 'enrol' as const),
    page.getByTestId('totp-step').waitFor().then(() => 'totp' as const),
    page.getByTestId('password-step').waitFor().then(() => 'password' as const),
    page.getByTestId('login-error').waitFor().then(() => 'error' as const),
  ]);
  if (outcome === 'error') throw new Error(`sign-in refused: ${await page.getByTestId('login-error').innerText()}`);
  if (outcome === 'in') return {};
  if (outcome === 'password') {
    await choosePassword(page, opts);
    return {};
  }
  let totpSecret: string;
  if (outcome === 'totp') {
    if (!opts.totpSecret) throw new Error('a TOTP code is asked but no secret was given');
    totpSecret = opts.totpSecret;
  } else {
    totpSecret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
  }
  await typeTotp(page, totpCode(totpSecret));
  const next = await Promise.race([
    page.getByTestId('main-menu').waitFor().then(() => 'in' as const),
    page.getByTestId('password-step').waitFor().then(() => 'password' as const),
  ]);
  if (next === 'password') await choosePassword(page, opts);
  return { totpSecret };
}

async function choosePassword(page: Page, opts: { newPassword?: string; onPasswordStep?: () => Promise<void> }): Promise<void> {
  if (!opts.newPassword) throw new Error('a new password is asked but none was given');
  await opts.onPasswordStep?.();
  await page.getByTestId('new-password').locator('input').fill(opts.newPassword);
  await page.getByTestId('confirm-password').locator('input').fill(opts.newPassword);
  await page.getByTestId('password-submit').click();
  await page.getByTestId('main-menu').waitFor();
}

/** The labels of the sider menu (groups expanded), top to bottom. */
export async function menuLabels(page: Page): Promise<string[]> {
  const items = page.getByTestId('main-menu').locator('.n-menu-item-content-header, .n-submenu > .n-menu-item .n-menu-item-content-header');
  return (await items.allInnerTexts()).map((text) => text.trim()).filter(Boolean);
}

/**
 * Waits until a dialog (or any element) is visible and its opening animation has ended. naive-ui
 * scales a modal up from the point that opened it; a click aimed while it still grows can land
 * beside the button it was aimed at (the button moves between Playwright's stability check and
 * the click on a loaded machine), so clicks inside a fresh dialog wait for this first.
 */
export async function settled(target: Locator): Promise<Locator> {
  await target.waitFor();
  await target.evaluate(async (el) => {
    const finite = (a: Animation) => a.effect?.getComputedTiming().endTime !== Infinity;
    const running = () => [el, ...ancestors(el)].flatMap((e) => e.getAnimations()).concat(el.getAnimations({ subtree: true })).filter(finite);
    function ancestors(e: Element): Element[] {
      const out: Element[] = [];
      for (let p = e.parentElement; p; p = p.parentElement) out.push(p);
      return out;
    }
    for (let round = 0; round < 5; round++) {
      const now = running();
      if (now.length === 0) return;
      await Promise.all(now.map((a) => a.finished.catch(() => undefined)));
    }
  });
  return target;
}
