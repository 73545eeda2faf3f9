import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './web-build.ts';

/**
 * Debian's Chromium driven by playwright-core (which never downloads a browser). `.ci/run` installs
 * the `chromium` package when it is missing; CHROMIUM_PATH points elsewhere.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export function assertChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
}

export async function launchBrowser(): Promise<Browser> {
  assertChromium();
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface PageProblems {
  /** Uncaught exceptions and console.error lines of the page. */
  errors: string[];
}

/**
 * A fresh browser context (own cookies and localStorage) with one page, at a desktop size, in English,
 * collecting the page's uncaught errors so a test can assert there were none.
 */
export async function openPage(
  browser: Browser,
  baseURL: string,
  opts: { locale?: string; colorScheme?: 'light' | 'dark'; acceptDownloads?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1440, height: 900 },
    locale: opts.locale ?? 'en-US',
    colorScheme: opts.colorScheme ?? 'light',
    acceptDownloads: opts.acceptDownloads ?? true,
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const problems: PageProblems = { errors: [] };
  page.on('pageerror', (error) => problems.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

/** Writes `<repo>/screenshots/<name>.png` (the folder is gitignored; it is for people to look at). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Let transitions (drawers, theme fades) settle before the picture.
  await page.waitForTimeout(300);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
