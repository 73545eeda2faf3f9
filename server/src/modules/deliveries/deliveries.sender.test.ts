import { createPrivateKey } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, keySerial, verifyPayload } from '../../lib/crypto.ts';
import { isPrivateAddress } from '../../lib/private-networks.ts';
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
    const result = await postCallback({ url: `${base}/ok`, body, serial, privateKey, allowPrivateNetworks: true });
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
    const result = await postCallback({ url: `${base}/big`, body, serial, privateKey, allowPrivateNetworks: true });
    expect(result.statusCode).toBe(500);
    expect(result.acknowledged).toBe(false);
    expect(Buffer.byteLength(result.responseExcerpt ?? '')).toBe(1024);
    expect(result.responseExcerpt).toBe('é'.repeat(512));
  });

  it('does not follow redirects: a 3xx does not acknowledge', async () => {
    const before = seen.length;
    const result = await postCallback({ url: `${base}/redirect`, body, serial, privateKey, allowPrivateNetworks: true });
    expect(result).toMatchObject({ statusCode: 302, acknowledged: false });
    expect(seen.length).toBe(before + 1);
  });

  it('times out', async () => {
    const result = await postCallback({ url: `${base}/slow`, body, serial, privateKey, timeoutMs: 200, allowPrivateNetworks: true });
    expect(result).toMatchObject({ statusCode: null, acknowledged: false, error: 'timeout after 200 ms' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(150);
  });

  it('reports connection errors and refuses non-http URLs without a request', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await postCallback({ url: `http://127.0.0.1:${port}/x`, body, serial, privateKey, allowPrivateNetworks: true });
    expect(refused).toMatchObject({ statusCode: null, acknowledged: false });
    expect(refused.error).toMatch(/ECONNREFUSED/);

    const before = seen.length;
    for (const url of ['data:text/plain,ok', 'file:///etc/passwd', 'not a url']) {
      const result = await postCallback({ url, body, serial, privateKey, allowPrivateNetworks: true });
      expect(result).toMatchObject({ statusCode: null, acknowledged: false, error: 'notify URL is not an absolute http(s) URL' });
    }
    expect(seen.length).toBe(before);
  });

  it('refuses loopback, private and link-local targets without a request unless allowed, also behind a name', async () => {
    const port = (server.address() as AddressInfo).port;
    const before = seen.length;
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '[::ffff:127.0.0.1]', '169.254.169.254', '10.1.2.3', '0.0.0.0']) {
      const result = await postCallback({ url: `http://${host}:${port}/ok`, body, serial, privateKey, timeoutMs: 2000 });
      expect(result, host).toMatchObject({ statusCode: null, acknowledged: false });
      expect(result.error, host).toMatch(/private or reserved address/);
    }
    expect(seen.length).toBe(before);

    // The same name, allowed: the request goes out.
    const allowed = await postCallback({ url: `http://localhost:${port}/ok`, body, serial, privateKey, allowPrivateNetworks: true });
    expect(allowed).toMatchObject({ statusCode: 204, acknowledged: true });
    expect(seen.length).toBe(before + 1);
  });
});

describe('isPrivateAddress', () => {
  it('classifies the blocked ranges and lets public addresses through', () => {
    for (const ip of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '[::1]']) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', 'example.com']) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
  });
});
