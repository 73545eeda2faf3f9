import { createPrivateKey } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, keySerial, verifyPayload } from '../../lib/crypto.ts';
import { CALLBACK_USER_AGENT, postCallback } from './deliveries.sender.ts';

const pair = generateRsaKeyPair();
const privateKey = createPrivateKey(pair.privateKeyPem);
const serial = keySerial(pair.publicKeyPem);

interface Seen {
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
const routes: Record<string, (res: ServerResponse) => void> = {
  '/ok': (res) => res.writeHead(204).end(),
  '/big': (res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('é'.repeat(5000)),
  '/redirect': (res) => res.writeHead(302, { location: '/ok' }).end(),
  '/slow': (res) => setTimeout(() => res.writeHead(200).end('late'), 2000).unref(),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      (routes[req.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const body = JSON.stringify({ event_id: 'e1', event_type: 'payin.status_changed', created_at: '2026-11-23T00:00:00.000Z', data: { sequence: 1 } });

describe('postCallback', () => {
  it('POSTs the body unchanged with a signature the platform public key verifies; 2xx acknowledges', async () => {
    const result = await postCallback({ url: `${base}/ok`, body, serial, privateKey });
    expect(result).toMatchObject({ statusCode: 204, acknowledged: true, error: null, responseExcerpt: null });
    const request = seen.at(-1) as Seen;
    expect(request.body).toBe(body);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe(CALLBACK_USER_AGENT);
    expect(request.headers['payrail-serial']).toBe(serial);
    const timestamp = request.headers['payrail-timestamp'] as string;
    const nonce = request.headers['payrail-nonce'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(nonce).toMatch(/^[A-Za-z0-9]{16,64}$/);
    expect(verifyPayload(pair.publicKeyPem, { timestamp, nonce, body }, request.headers['payrail-signature'] as string)).toBe(true);
    expect(verifyPayload(pair.publicKeyPem, { timestamp, nonce, body: body + ' ' }, request.headers['payrail-signature'] as string)).toBe(false);
  });

  it('keeps at most 1 KiB of a failing answer, without splitting a character', async () => {
    const result = await postCallback({ url: `${base}/big`, body, serial, privateKey });
    expect(result.statusCode).toBe(500);
    expect(result.acknowledged).toBe(false);
    expect(Buffer.byteLength(result.responseExcerpt ?? '')).toBe(1024);
    expect(result.responseExcerpt).toBe('é'.repeat(512));
  });

  it('does not follow redirects: a 3xx does not acknowledge', async () => {
    const before = seen.length;
    const result = await postCallback({ url: `${base}/redirect`, body, serial, privateKey });
    expect(result).toMatchObject({ statusCode: 302, acknowledged: false });
    expect(seen.length).toBe(before + 1);
  });

  it('times out', async () => {
    const result = await postCallback({ url: `${base}/slow`, body, serial, privateKey, timeoutMs: 200 });
    expect(result).toMatchObject({ statusCode: null, acknowledged: false, error: 'timeout after 200 ms' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(150);
  });

  it('reports connection errors and refuses non-http URLs without a request', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await postCallback({ url: `http://127.0.0.1:${port}/x`, body, serial, privateKey });
    expect(refused).toMatchObject({ statusCode: null, acknowledged: false });
    expect(refused.error).toMatch(/ECONNREFUSED/);

    const before = seen.length;
    for (const url of ['data:text/plain,ok', 'file:///etc/passwd', 'not a url']) {
      const result = await postCallback({ url, body, serial, privateKey });
      expect(result).toMatchObject({ statusCode: null, acknowledged: false, error: 'notify URL is not an absolute http(s) URL' });
    }
    expect(seen.length).toBe(before);
  });
});
