import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../src/config/config.ts';
import { createUserFixture, type UserFixture } from './support/auth-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Cross-origin access (CORS): a page of another site must not act as the signed-in user. Only the
 * origins of CORS_ORIGINS get Access-Control-Allow-* headers, on every route; the admin app is
 * same-origin and needs none.
 */

const PARTNER = 'https://admin.partner.example';
const EVIL = 'https://evil.example';
const ME = 'query { me { email } }';

let env: TestEnvironment;
let staff: UserFixture;

beforeAll(async () => {
  env = await createTestEnvironment({ env: { CORS_ORIGINS: `${PARTNER}, https://ops.partner.example:8443` } });
  staff = await createUserFixture(env.prisma, { roleKey: 'ADMINISTRATOR' });
});

afterAll(async () => {
  await env?.stop();
});

/** What a browser sends before a credentialed JSON POST from a page of `origin`. */
function preflight(path: string, origin: string): Promise<Response> {
  return fetch(`${env.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
}

function postMe(origin: string | undefined): Promise<Response> {
  return fetch(`${env.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: staff.cookie, ...(origin ? { origin } : {}) },
    body: JSON.stringify({ query: ME }),
  });
}

function allowHeaders(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));
}

const ROUTES = ['/graphql', '/v1/transaction/prepayment', '/v1/upstream/sandbox/callback', '/api/exports/x/download', '/pay/api/order/abc/submit', '/healthz'];

describe('a page of another site', () => {
  it('gets no allow headers on a preflight to any route', async () => {
    for (const path of ROUTES) {
      const response = await preflight(path, EVIL);
      expect(allowHeaders(response), path).toEqual({});
      expect(response.status, path).toBeLessThan(500);
    }
  });

  it('cannot make /graphql run anything with a simple (unpreflighted) form or text POST', async () => {
    // A browser sends these cross-site without asking first; only JSON bodies are GraphQL requests here.
    const mutation = 'mutation { logout }';
    const bodies: Array<[string, string]> = [
      ['text/plain', JSON.stringify({ query: mutation })],
      ['text/plain;charset=UTF-8', JSON.stringify({ query: ME })],
      ['application/x-www-form-urlencoded', new URLSearchParams({ query: ME }).toString()],
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: ME })}\r\n--x--\r\n`],
    ];
    for (const [type, body] of bodies) {
      const response = await fetch(`${env.url}/graphql`, { method: 'POST', headers: { 'content-type': type, cookie: staff.cookie, origin: EVIL }, body });
      expect(response.status, type).toBe(415);
      expect(await response.text(), type).not.toContain(staff.user.email);
    }
    const still = await postMe(undefined);
    expect((await still.json()).data.me.email).toBe(staff.user.email);
  });

  it('gets no allow headers on a credentialed POST, so its script cannot read `me`', async () => {
    const response = await postMe(EVIL);
    expect(allowHeaders(response)).toEqual({});
    const v1 = await fetch(`${env.url}/v1/balance/query`, { method: 'POST', headers: { origin: EVIL, 'content-type': 'application/json' }, body: '{}' });
    expect(allowHeaders(v1)).toEqual({});
  });

  it('is not matched loosely: a listed origin with another scheme, port or suffix is another origin', async () => {
    for (const origin of ['http://admin.partner.example', 'https://admin.partner.example:444', 'https://admin.partner.example.evil.example', 'null']) {
      expect(allowHeaders(await preflight('/graphql', origin)), origin).toEqual({});
      expect(allowHeaders(await postMe(origin)), origin).toEqual({});
    }
  });
});

describe('a listed origin', () => {
  it('passes the preflight with credentials on every route', async () => {
    for (const path of ROUTES) {
      const response = await preflight(path, PARTNER);
      expect(response.status, path).toBe(204);
      expect(response.headers.get('access-control-allow-origin'), path).toBe(PARTNER);
      expect(response.headers.get('access-control-allow-credentials'), path).toBe('true');
      expect(response.headers.get('access-control-allow-methods'), path).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase(), path).toContain('content-type');
      expect(response.headers.get('vary'), path).toContain('Origin');
    }
    const other = await preflight('/graphql', 'https://ops.partner.example:8443');
    expect(other.headers.get('access-control-allow-origin')).toBe('https://ops.partner.example:8443');
  });

  it('reads the answer of a credentialed POST', async () => {
    const response = await postMe(PARTNER);
    expect(response.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    const body = (await response.json()) as { data?: { me: { email: string } } };
    expect(body.data?.me.email).toBe(staff.user.email);
  });
});

describe('GraphQL WebSockets', () => {
  it('open for the admin app and listed origins, not for other sites', async () => {
    const open = (origin: string) =>
      new Promise<number | 'open'>((resolve) => {
        const socket = new WebSocket(`${env.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', { headers: { cookie: staff.cookie, origin } });
        socket.on('open', () => {
          socket.close();
          resolve('open');
        });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('error', () => {});
      });
    expect(await open(EVIL)).toBe(401);
    expect(await open('http://admin.partner.example')).toBe(401);
    expect(await open(PARTNER)).toBe('open');
    expect(await open(env.url)).toBe('open');
  });
});

describe('the admin app (same origin)', () => {
  it('signs in and reads `me` with its own Origin or none, without CORS headers', async () => {
    for (const origin of [env.url, undefined]) {
      const response = await postMe(origin);
      expect(response.status).toBe(200);
      expect(allowHeaders(response)).toEqual({});
      const body = (await response.json()) as { data?: { me: { email: string } } };
      expect(body.data?.me.email).toBe(staff.user.email);
    }
  });
});

describe('CORS_ORIGINS', () => {
  it('defaults to none and takes only exact origins', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).CORS_ORIGINS).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'test', CORS_ORIGINS: ' https://a.example ,http://b.example:8080,' }).CORS_ORIGINS).toEqual(['https://a.example', 'http://b.example:8080']);
    for (const bad of ['*', 'https://a.example/', 'https://a.example/admin', 'a.example', 'ftp://a.example', 'https://A.example']) {
      expect(() => loadConfig({ NODE_ENV: 'test', CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS/);
    }
  });
});
