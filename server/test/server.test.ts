import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ADMIN_APP_CSP } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

let env: TestEnvironment;

beforeAll(async () => {
  // HOST unset: the server listens where an unconfigured install would.
  env = await createTestEnvironment({ env: { HOST: undefined } });
});

afterAll(async () => {
  await env?.stop();
});

describe('HTTP server', () => {
  it('listens on loopback only unless HOST says otherwise (the demo has well-known passwords)', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(env.address.address).toBe('127.0.0.1');
  });

  it('sends its security headers with every answer (the cashier keeps its own policy)', async () => {
    const response = await fetch(`${env.url}/healthz`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    const cashier = await fetch(`${env.url}/pay/order?prepay_id=nothing-here`);
    expect(cashier.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(cashier.headers.get('content-security-policy')).not.toBe(ADMIN_APP_CSP);
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${env.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready once the database is reachable and migrated', async () => {
    const response = await fetch(`${env.url}/readyz`);
    const body = (await response.json()) as { status: string; database: boolean; pendingMigrations: string[] };
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ status: 'ready', database: true, pendingMigrations: [] });
  });

  it('answers a GraphQL query over HTTP', async () => {
    await env.prisma.currency.create({ data: { code: 'THB', name: 'Thai baht', digits: 2 } });
    const result = await env.graphql<{ health: { status: string; database: boolean }; currencies: Array<{ code: string; digits: number }> }>(
      '{ health { status database } currencies { code digits } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.health).toEqual({ status: 'ok', database: true });
    expect(result.data?.currencies).toEqual([{ code: 'THB', digits: 2 }]);
  });

  it('answers GraphQL over a WebSocket on the same port and path', async () => {
    const client = createClient({ url: `${env.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        let value: unknown;
        client.subscribe({ query: '{ health { status } }' }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
      });
      expect(result).toEqual({ data: { health: { status: 'ok' } } });
    } finally {
      await client.dispose();
    }
  });

  it('wraps unknown /v1 endpoints in the REST envelope with a request id', async () => {
    const response = await fetch(`${env.url}/v1/no-such-thing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const body = (await response.json()) as { code: number; request_id: string; data: unknown };
    expect(response.status).toBe(404);
    expect(body.code).toBe(40401);
    expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-request-id')).toBe(body.request_id);
  });
});

describe('stopping', () => {
  it('does not wait for a client that stalls mid-request: after the grace period its connection is cut', { timeout: 60_000 }, async () => {
    const { connect } = await import('node:net');
    const { CLOSE_GRACE_MS } = await import('../src/app.ts');
    const other = await createTestEnvironment();
    const { hostname, port } = new URL(other.url);
    // A request whose body never finishes arriving: the server keeps waiting for it.
    const socket = connect({ host: hostname, port: Number(port) });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /v1/transaction/prepayment HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"mch_id":');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const started = Date.now();
    await other.stop();
    const took = Date.now() - started;
    await closed;
    expect(took).toBeGreaterThanOrEqual(CLOSE_GRACE_MS - 500); // it did give the request its grace …
    expect(took).toBeLessThan(CLOSE_GRACE_MS + 10_000); // … and then stopped instead of waiting for the client
  });
});
