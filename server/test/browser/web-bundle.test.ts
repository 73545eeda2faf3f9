import { describe, expect, it } from 'vitest';
import { firstScreenCost, FIRST_SCREEN_BUDGET_BYTES, kib } from './support/bundle-size.ts';
import { ensureWebBuild } from './support/web-build.ts';

/**
 * The production build of the admin SPA: it builds, and the first screen (entry + the page a user
 * lands on) stays under 400 KB of gzipped JS.
 */
describe('admin SPA build', () => {
  it('keeps the first screen under 400 KB of gzipped JS', { timeout: 180_000 }, async () => {
    const dist = await ensureWebBuild();
    const pages = ['src/views/auth/login/index.vue', 'src/views/system/status/index.vue'];
    for (const page of pages) {
      const cost = await firstScreenCost(dist, page);
      console.log(`first screen ${page}: ${kib(cost.gzipBytes)} gzipped JS (${kib(cost.rawBytes)} raw) in ${cost.files.length} files`);
      expect(cost.gzipBytes).toBeLessThan(FIRST_SCREEN_BUDGET_BYTES);
    }
  });
});
