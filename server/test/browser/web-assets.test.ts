import { request } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_APP_CSP } from '../../src/app.ts';
import { createTestEnvironment, type TestEnvironment } from '../support/test-environment.ts';
import { ensureWebBuild } from './support/web-build.ts';

/**
 * How the server sends the built admin app (issue "Back office polish", defect 10): content-hashed
 * assets cached for a year as immutable, index.html and SPA routes revalidated (no-cache), and the
 * build's precompressed .br / .gz copies sent to clients that accept them (identity otherwise).
 */

let env: TestEnvironment;
let dist: string;

/** A raw GET (Node's fetch would add Accept-Encoding and decompress on its own). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dist = await ensureWebBuild();
  env = await createTestEnvironment({ env: { WEB_DIST: dist } });
}, 240_000);

afterAll(async () => {
  await env?.stop();
});

describe('admin app files', () => {
  it('has the build write .br and .gz copies beside hashed assets', async () => {
    const assets = await readdir(path.join(dist, 'assets'));
    const js = assets.filter((name) => /\.js$/.test(name));
    expect(js.length).toBeGreaterThan(0);
    const big = js.find((name) => assets.includes(`${name}.br`));
    expect(big, 'a JS asset with a .br copy').toBeDefined();
    expect(assets).toContain(`${big}.gz`);
  });

  it('sends a hashed asset as immutable, brotli or gzip when accepted, identity otherwise', async () => {
    const assets = await readdir(path.join(dist, 'assets'));
    const name = assets.find((n) => n.endsWith('.js') && assets.includes(`${n}.br`))!;
    const plain = await readFile(path.join(dist, 'assets', name));
    const url = `${env.url}/assets/${name}`;

    const br = await get(url, { 'accept-encoding': 'br, gzip' });
    expect(br.status).toBe(200);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-encoding']).toBe('br');
    expect(String(br.headers['vary']).toLowerCase()).toContain('accept-encoding');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.body.length).toBeLessThan(plain.length);
    expect(brotliDecompressSync(br.body).equals(plain)).toBe(true);

    const gz = await get(url, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(gz.body).equals(plain)).toBe(true);

    const identity = await get(url);
    expect(identity.status).toBe(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(String(identity.headers['vary']).toLowerCase()).toContain('accept-encoding');
    expect(identity.body.equals(plain)).toBe(true);
    expect(identity.headers['x-content-type-options']).toBe('nosniff');

    // The compressed copies are not files of their own.
    expect((await get(`${url}.br`)).status).toBe(404);
  });

  it('sends index.html and SPA routes with no-cache, the CSP and the security headers', async () => {
    const html = await readFile(path.join(dist, 'index.html'));
    for (const page of ['/', '/index.html', '/payins']) {
      for (const acceptEncoding of [undefined, 'gzip']) {
        const res = await get(`${env.url}${page}`, acceptEncoding ? { 'accept-encoding': acceptEncoding } : {});
        expect(res.status, page).toBe(200);
        expect(res.headers['cache-control'], page).toBe('no-cache');
        expect(res.headers['content-type'], page).toMatch(/^text\/html/);
        expect(res.headers['content-security-policy'], page).toBe(ADMIN_APP_CSP);
        expect(res.headers['x-frame-options'], page).toBe('DENY');
        const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.body) : res.body;
        expect(body.equals(html), page).toBe(true);
      }
    }
  });
});
