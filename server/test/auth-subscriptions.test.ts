import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUserFixture } from './support/auth-fixtures.ts';
import { createMerchant } from './support/payin-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/** graphql-ws carries the viewer: the WebSocket upgrade request has the same session cookie as HTTP. */
describe('graphql-ws context carries the viewer', () => {
  let env: TestEnvironment;
  let merchantId: string;
  const clients: Client[] = [];

  /** A graphql-ws client whose upgrade request sends these headers (a browser sends its cookie). */
  const connect = (headers: Record<string, string> = {}): Client => {
    class HeaderWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const client = createClient({ url: `${env.url.replace('http', 'ws')}/graphql`, webSocketImpl: HeaderWebSocket, retryAttempts: 0, lazy: true });
    clients.push(client);
    return client;
  };

  const run = (client: Client, query: string) =>
    new Promise<{ data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>((resolve, reject) => {
      let value: any;
      client.subscribe({ query }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
    });

  beforeAll(async () => {
    env = await createTestEnvironment();
    merchantId = (await createMerchant(env.prisma)).id;
  });

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await env?.stop();
  });

  it('resolves the session cookie of the upgrade request for every operation', async () => {
    const owner = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId });
    const client = connect({ cookie: owner.cookie });
    const first = await run(client, '{ me { kind email merchant { id } permissions } }');
    expect(first.data?.me).toMatchObject({ kind: 'USER', email: owner.user.email, merchant: { id: merchantId } });
    expect(first.data?.me.permissions.length).toBeGreaterThan(0);
    expect((await run(client, '{ apiTokens { id } }')).data).toEqual({ apiTokens: [] });

    // The session ends (logout elsewhere): the next operation on the same socket is anonymous.
    await env.prisma.session.update({ where: { id: owner.sessionId }, data: { revokedAt: new Date() } });
    expect((await run(client, '{ me { email } }')).data).toEqual({ me: null });
    const denied = await run(client, '{ apiTokens { id } }');
    expect(denied.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('is anonymous without a cookie and accepts a bearer API token', async () => {
    expect((await run(connect(), '{ me { email } }')).data).toEqual({ me: null });

    const owner = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId });
    const created = await env.graphql<{ createApiToken: { token: string } }>(
      'mutation { createApiToken(input: { name: "ws", permissions: [1001] }) { ... on CreateApiTokenPayload { token } } }',
      {},
      { cookie: owner.cookie },
    );
    const token = created.data!.createApiToken.token;
    const viaToken = await run(connect({ authorization: `Bearer ${token}` }), '{ me { kind merchant { id } } }');
    expect(viaToken.data?.me).toEqual({ kind: 'API_TOKEN', merchant: { id: merchantId } });
  });
});

/**
 * An open socket follows its credential (graphql/socket-sessions.ts): a subscription started while
 * signed in must not keep streaming payment events after sign-out, revocation or a change of roles.
 */
describe('open WebSockets follow their session', () => {
  let env: TestEnvironment;
  let merchantId: string;
  const clients: Client[] = [];

  /** A socket with a live payinChanged subscription; resolves with the close code when the server closes it. */
  const subscribeUntilClosed = async (headers: Record<string, string>) => {
    class HeaderWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    let onClosed!: (code: number) => void;
    const closed = new Promise<number>((resolve) => (onClosed = resolve));
    let onConnected!: () => void;
    const connected = new Promise<void>((resolve) => (onConnected = resolve));
    const client = createClient({
      url: `${env.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: HeaderWebSocket,
      retryAttempts: 0,
      on: { connected: () => onConnected(), closed: (event) => onClosed((event as { code: number }).code) },
    });
    clients.push(client);
    const results: unknown[] = [];
    client.subscribe({ query: 'subscription { payinChanged { id status } }' }, { next: (value) => results.push(value), error: () => {}, complete: () => {} });
    await connected;
    // graphql-ws does not acknowledge a subscription: give the server a moment to start it (it resolves
    // the viewer then), so the change made next happens to a running subscription.
    await new Promise((resolve) => setTimeout(resolve, 750));
    expect(results).toEqual([]); // started, not refused
    return { closed };
  };

  const within = <T>(promise: Promise<T>, ms: number, what: string) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))]);

  beforeAll(async () => {
    env = await createTestEnvironment({ env: { WS_SESSION_CHECK_SECONDS: '1' } });
    merchantId = (await createMerchant(env.prisma)).id;
  });

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await env?.stop();
  });

  it('closes with 4401 when the session signs out, without refreshing its idle clock meanwhile', async () => {
    const owner = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId });
    const socket = await subscribeUntilClosed({ cookie: owner.cookie });
    const idleSince = new Date(Date.now() - 5 * 60_000);
    await env.prisma.session.update({ where: { id: owner.sessionId }, data: { lastSeenAt: idleSince } });

    // Several checks pass: the socket stays open and the session's idle clock is left alone.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await env.prisma.session.findUniqueOrThrow({ where: { id: owner.sessionId } })).lastSeenAt).toEqual(idleSince);

    const logout = await env.graphql<{ logout: boolean }>('mutation { logout }', {}, { cookie: owner.cookie });
    expect(logout.data?.logout).toBe(true);
    expect(await within(socket.closed, 5_000, 'close after sign-out')).toBe(4401);
  });

  it('closes with 4205 (reconnect) when the user’s permissions change, and with 4401 when the user is disabled', async () => {
    const operator = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OPERATOR', merchantId });
    const first = await subscribeUntilClosed({ cookie: operator.cookie });
    const viewer = (await createUserFixture(env.prisma, { roleKey: 'MERCHANT_VIEWER', merchantId })).role;
    await env.prisma.userRole.deleteMany({ where: { userId: operator.user.id } });
    await env.prisma.userRole.create({ data: { userId: operator.user.id, roleId: viewer.id } });
    expect(await within(first.closed, 5_000, 'close after the role change')).toBe(4205);

    // Reconnected under the new ability, the socket stays open until the user is disabled.
    const second = await subscribeUntilClosed({ cookie: operator.cookie });
    await env.prisma.user.update({ where: { id: operator.user.id }, data: { status: 'DISABLED' } });
    expect(await within(second.closed, 5_000, 'close after disabling the user')).toBe(4401);
  });

  it('closes a socket opened with an API token when the token is revoked', async () => {
    const owner = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId });
    const created = await env.graphql<{ createApiToken: { token: string } }>(
      'mutation { createApiToken(input: { name: "ws-live", permissions: [1001] }) { ... on CreateApiTokenPayload { token } } }',
      {},
      { cookie: owner.cookie },
    );
    const token = created.data!.createApiToken.token;
    const socket = await subscribeUntilClosed({ authorization: `Bearer ${token}` });
    await env.prisma.apiToken.updateMany({ where: { merchantId, name: 'ws-live' }, data: { revokedAt: new Date() } });
    expect(await within(socket.closed, 5_000, 'close after revoking the token')).toBe(4401);
  });

  it('refuses a browser socket from another site (Origin), even with a valid session cookie', async () => {
    const owner = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId });
    const open = (origin: string) =>
      new Promise<number | 'open'>((resolve) => {
        const socket = new WebSocket(`${env.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', { headers: { cookie: owner.cookie, origin } });
        socket.on('open', () => {
          socket.close();
          resolve('open');
        });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('error', () => {});
      });
    expect(await open('https://evil.example')).toBe(401);
    expect(await open('null')).toBe(401);
    expect(await open(env.url)).toBe('open');
  });
});
