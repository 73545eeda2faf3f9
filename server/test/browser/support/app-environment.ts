import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, seedDemoData } from '../../../src/modules/demo/demo-seed.ts';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.ts';
import { launchBrowser } from './browser.ts';
import { ensureWebBuild } from './web-build.ts';

/**
 * Everything a browser test needs: the built SPA (cached per source hash), a real server with its
 * worker serving it on a fresh database, the demo data (catalog, three merchants, a user for every
 * built-in role, FX rates, a few orders and payouts), and a Chromium.
 */

export interface AppEnvironment {
  env: TestEnvironment;
  browser: Browser;
  dist: string;
  /** The demo users' password. */
  password: string;
  stop(): Promise<void>;
}

export interface AppEnvironmentOptions {
  /** Demo payins to seed (about a third as many payouts). Default 40: enough for lists and charts. */
  orders?: number;
  /** Extra server settings, e.g. `{ AUTH_REQUIRE_STAFF_MFA: 'false' }`. */
  env?: Record<string, string>;
}

export async function startAppEnvironment(opts: AppEnvironmentOptions = {}): Promise<AppEnvironment> {
  const [dist, browser] = await Promise.all([ensureWebBuild(), launchBrowser()]);
  let env: TestEnvironment | undefined;
  try {
    // As in production, signed-in sessions may run only the SPA's own (codegen-listed) operations, so
    // these tests also prove the allow-list holds everything the SPA sends.
    env = await createTestEnvironment({ worker: true, env: { WEB_DIST: dist, GRAPHQL_ALLOW_LIST: 'true', ...opts.env } });
    // Payment links (cashier URLs) must point at this server.
    env.services.config.publicUrl = env.url;
    await seedDemoData(env.prisma, { secrets: env.services.secrets, orders: opts.orders ?? 40 });
  } catch (error) {
    await browser.close();
    await env?.stop();
    throw error;
  }
  const started = env;
  return {
    env: started,
    browser,
    dist,
    password: DEMO_PASSWORD,
    async stop() {
      await browser.close().catch(() => {});
      await started.stop();
    },
  };
}
