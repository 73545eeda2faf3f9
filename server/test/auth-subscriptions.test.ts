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
