import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserFixture } from './support/auth-fixtures.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { CREDENTIALS_TTL_MS } from '../src/modules/apps/app-credentials.ts';
import { testRedisUrl } from './support/redis.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Issue #5: two server processes on one database and the local Redis. A subscriber connected to one
 * (a separate OS process started like `npm start`) sees a status change made through the other within a
 * second, and a merchant user's subscription never carries another merchant's events.
 */

/** Null without Redis (and no TEST_REDIS_URL): the test is skipped; CI always has it. */
const REDIS_URL = await testRedisUrl();
const serverDir = fileURLToPath(new URL('..', import.meta.url));

let env: TestEnvironment;
let child: ChildProcess;
let childUrl: string;
let shop: MerchantFixture;
let other: MerchantFixture;
let ownerCookie: string;
let otherCookie: string;
const clients: Client[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function subscribe(url: string, cookie: string, query: string): { events: Array<{ at: number; data: any }>; ready: Promise<void> } {
  const events: Array<{ at: number; data: any }> = [];
  let ack!: () => void;
  const ready = new Promise<void>((resolve) => (ack = resolve));
  const client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { cookie } });
      }
    },
    on: { connected: () => setTimeout(ack, 500) },
    lazy: false,
  });
  clients.push(client);
  client.subscribe({ query }, { next: (v) => events.push({ at: Date.now(), data: v.data }), error: (e) => events.push({ at: Date.now(), data: { error: e } }), complete: () => {} });
  return { events, ready };
}

beforeAll(async () => {
  if (!REDIS_URL) return;
  env = await createTestEnvironment({ env: { REDIS_URL } });
  env.services.config.publicUrl = env.url;
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  shop = await createMerchantFixture(db, env.services.secrets);
  other = await createMerchantFixture(db, env.services.secrets);
  const service = await createService(db, { code: 'THB_LIVE', currencyCode: 'THB' });
  const channel = await createChannel(db, { currencyCode: 'THB' }, { secrets: env.services.secrets });
  await bindChannel(db, channel.id, service.id);
  for (const m of [shop, other]) await activateService(db, m.merchant.id, service.id);
  ownerCookie = (await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: shop.merchant.id })).cookie;
  otherCookie = (await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: other.merchant.id })).cookie;

  const port = await freePort();
  childUrl = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: env.databaseUrl,
      REDIS_URL,
      SECRET_KEY: env.services.config.SECRET_KEY!,
      RUN_WORKER: 'false',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${childUrl}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('second server process did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await env?.stop();
});

describe.skipIf(!REDIS_URL)('subscriptions across two server processes (Redis pub/sub)', () => {
  it('a status change made through one process reaches a subscriber on the other within a second, filtered by merchant', async () => {
    const create = `mutation($input: CreateTestPayinInput!) { createTestPayin(input: $input) { payin { id orderNo } } }`;
    const newOrder = async (m: MerchantFixture, cookie: string): Promise<{ id: string; orderNo: string }> => {
      const res = await env.graphql<any>(create, { input: { merchantId: encodeGlobalID('Merchant', m.merchant.id), service: 'THB_LIVE', amount: '42.00' } }, { cookie });
      expect(res.errors).toBeUndefined();
      return res.data.createTestPayin.payin;
    };
    const seen = (sub: { events: Array<{ data: any }> }, orderNo: string, status: string) =>
      sub.events.some((e) => e.data?.payinChanged?.orderNo === orderNo && e.data.payinChanged.status === status);

    const query = 'subscription { payinChanged { orderNo status merchant { mchId } } }';
    const mine = subscribe(childUrl, ownerCookie, query);
    const theirs = subscribe(childUrl, otherCookie, query);
    await Promise.all([mine.ready, theirs.ready]);
    // Both subscriptions are live once each has seen one of its own merchant's new orders.
    for (const [sub, m, cookie] of [[mine, shop, ownerCookie], [theirs, other, otherCookie]] as const) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const probe = await newOrder(m, cookie);
        await new Promise((r) => setTimeout(r, 300));
        if (seen(sub, probe.orderNo, 'PENDING')) break;
        if (Date.now() > deadline) throw new Error('subscription never became live');
      }
    }
    const theirsBefore = theirs.events.length;

    const { id, orderNo } = await newOrder(shop, ownerCookie);
    const closedAt = Date.now();
    const closed = await env.graphql<any>(`mutation($id: ID!) { closePayin(id: $id, reason: "live test") { status } }`, { id }, { cookie: ownerCookie });
    expect(closed.data).toEqual({ closePayin: { status: 'CLOSED' } });

    const deadline = Date.now() + 5_000;
    while (!seen(mine, orderNo, 'CLOSED') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const event = mine.events.find((e) => e.data?.payinChanged?.orderNo === orderNo && e.data.payinChanged.status === 'CLOSED');
    expect(event?.data.payinChanged).toEqual({ orderNo, status: 'CLOSED', merchant: { mchId: shop.mchId } });
    expect(event!.at - closedAt).toBeLessThan(1000);
    // The other merchant's live subscriber got none of shop's events, before or after.
    const mchIds = new Set(theirs.events.map((e) => e.data?.payinChanged?.merchant?.mchId));
    expect([...mchIds]).toEqual([other.mchId]);
    expect(theirs.events.length).toBe(theirsBefore);
  }, 60_000);

  it('an app disabled through one process is refused by the other at once, not after its credential cache expires', async () => {
    const client = other.client(childUrl);
    // The child has the app's credentials cached (CREDENTIALS_TTL_MS) from this request.
    const before = await client.get('/v1/platform/certificates');
    expect(before.body.code).toBe(0);
    const disabledAt = Date.now();
    const disabled = await env.graphql<any>(
      `mutation($input: UpdateAppInput!) { updateApp(input: $input) { status } }`,
      { input: { id: encodeGlobalID('App', other.app.id), status: 'DISABLED' } },
      { cookie: otherCookie },
    );
    expect(disabled.data).toEqual({ updateApp: { status: 'DISABLED' } });
    let code = 0;
    while (Date.now() - disabledAt < CREDENTIALS_TTL_MS) {
      code = (await client.get('/v1/platform/certificates')).body.code;
      if (code !== 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(code).toBe(40105);
    expect(Date.now() - disabledAt).toBeLessThan(CREDENTIALS_TTL_MS / 2);
  }, 30_000);
});
