import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * Browser tests need Debian's Chromium (never downloaded). A newcomer's machine may have none: then the
 * tests that drive a browser are left out with a note, and everything else runs. CI installs Chromium
 * and sets REQUIRE_BROWSER_TESTS=1, so there a missing browser fails the run instead of hiding tests.
 */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserDir = path.join(HERE, 'test', 'browser');
const needsBrowser = readdirSync(browserDir)
  .filter((name) => name.endsWith('.test.ts'))
  .filter((name) => /support\/(app-environment|browser)\.ts/.test(readFileSync(path.join(browserDir, name), 'utf8')))
  .map((name) => `test/browser/${name}`);
let excludeBrowser: string[] = [];
if (!existsSync(CHROMIUM_PATH)) {
  if (process.env.REQUIRE_BROWSER_TESTS === '1') {
    throw new Error(`REQUIRE_BROWSER_TESTS=1 but Chromium is not at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
  }
  excludeBrowser = needsBrowser;
  console.warn(
    [
      `No Chromium at ${CHROMIUM_PATH}: skipping ${needsBrowser.length} browser test files (${needsBrowser.map((f) => path.basename(f)).join(', ')}).`,
      'To run them, install Chromium (Debian/Ubuntu: apt-get install chromium) or point CHROMIUM_PATH at a',
      'Chromium or Chrome binary, e.g. CHROMIUM_PATH=/usr/bin/google-chrome npm test.',
    ].join('\n'),
  );
}

export default defineConfig({
  resolve: {
    // One copy of graphql: Pothos and yoga must share its realm.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...excludeBrowser],
    globalSetup: ['./test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
