import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse, print, validate, type DocumentNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../src/config/config.ts';
import { depthLimitRule, loadAllowList, normalizedOperation, operationCost, operationHash } from '../src/graphql/hardening.ts';
import { schema } from '../src/graphql/schema/index.ts';
import { PERMISSIONS } from '../src/modules/auth/permissions.ts';
import { API_TOKEN_PREFIX } from '../src/modules/auth/principal.ts';
import { hashToken } from '../src/modules/auth/sessions.ts';
import { createUserFixture, graphqlHttp, type UserFixture } from './support/auth-fixtures.ts';
import { createMerchant } from './support/payin-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Production GraphQL limits: depth, estimated cost, parser tokens, body size, introspection off, and
 * the allow-list that lets signed-in sessions run only the admin SPA's own operations.
 */
const config = loadConfig({});
const spaDocuments = Object.values(JSON.parse(readFileSync(config.GRAPHQL_ALLOW_LIST_FILE, 'utf8')) as Record<string, string>);
const ME_DOCUMENT = spaDocuments.find((source) => /query Me\b/.test(source))!;

describe('the admin SPA operations', () => {
  it('are each accepted by the allow-list as written in the SPA sources', async () => {
    // The documents as the SPA sends them (web/src/gql/graphql.ts holds them unsorted, as written).
    const { readFile } = await import('node:fs/promises');
    const generated = await readFile(new URL('../../web/src/gql/graphql.ts', import.meta.url), 'utf8');
    const documents = [...generated.matchAll(/^export const \w+Document = (\{.*\}) as unknown as DocumentNode/gm)].map((m) => JSON.parse(m[1]!) as DocumentNode);
    expect(documents.length).toBeGreaterThan(5);
    const allowList = loadAllowList(config.GRAPHQL_ALLOW_LIST_FILE);
    const refused = documents.filter((d) => !allowList.has(operationHash(d))).map((d) => print(d).slice(0, 60));
    expect(refused).toEqual([]);
  });

  it('are all within the depth and cost limits', () => {
    expect(spaDocuments.length).toBeGreaterThan(5);
    for (const source of spaDocuments) {
      const document = parse(source);
      const errors = validate(schema, document, [depthLimitRule(config.GRAPHQL_MAX_DEPTH)]);
      expect(errors.map((e) => e.message), source.slice(0, 80)).toEqual([]);
      // Page-size variables at their largest: the worst the SPA can ask.
      expect(operationCost(schema, document), source.slice(0, 80)).toBeLessThanOrEqual(config.GRAPHQL_MAX_COST);
    }
  });

  it('normalise the same whatever the layout, field order and __typename', () => {
    const a = normalizedOperation(parse('query Q($id: ID!) { node(id: $id) { id ... on Payin { status orderNo } } }'));
    const b = normalizedOperation(parse('query Q($id: ID!) {\n  node(id: $id) {\n    __typename\n    ... on Payin { __typename orderNo status }\n    id\n  }\n}'));
    expect(a).toBe(b);
    expect(normalizedOperation(parse('query Q { me { email } }'))).not.toBe(normalizedOperation(parse('query Q { me { name } }')));
    // Codegen's persisted documents sort variables and arguments; clients send them as written.
    const written = normalizedOperation(parse('query B($search: String, $first: Int) { merchants(first: $first, filter: { search: $search }) { nodes { id } } }'));
    const persisted = normalizedOperation(parse('query B($first: Int, $search: String) { merchants(filter: { search: $search }, first: $first) { nodes { id } } }'));
    expect(written).toBe(persisted);
  });
});

describe('GraphQL hardening in production mode', () => {
  let env: TestEnvironment;
  let viewer: UserFixture;
  let token: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment({ env: { GRAPHQL_ALLOW_LIST: 'true', GRAPHQL_INTROSPECTION: 'false' } });
    const merchantId = (await createMerchant(env.prisma)).id;
    viewer = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId });
    token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    await env.prisma.apiToken.create({
      data: { merchantId, name: 'server', tokenHash: hashToken(token), prefix: token.slice(0, 12), permissions: [PERMISSIONS.PAYIN_READ], createdById: viewer.user.id },
    });
  });

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await env?.stop();
  });

  const codeOf = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => res.errors?.[0]?.extensions?.code;

  it('lets a session run the SPA operations as the SPA client sends them, and nothing else', async () => {
    // urql adds __typename and prints its own layout: still the same operation.
    const asSent = ME_DOCUMENT.replace('me {', 'me { __typename').replace(/ /g, '\n ');
    const allowed = await graphqlHttp(env.url, asSent, {}, { cookie: viewer.cookie });
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data?.me.email).toBe(viewer.user.email);

    const other = await graphqlHttp(env.url, '{ me { email } }', {}, { cookie: viewer.cookie });
    expect(codeOf(other)).toBe('OPERATION_NOT_ALLOWED');
    expect(other.data).toBeUndefined();
    // Anonymous callers are held to the same list (the login page's operations are on it).
    expect(codeOf(await graphqlHttp(env.url, '{ health }'))).toBe('OPERATION_NOT_ALLOWED');
  });

  it('lets an API token (a merchant server) run its own operations', async () => {
    const res = await graphqlHttp(env.url, '{ me { kind merchant { id } } }', {}, { bearer: token });
    expect(res.errors).toBeUndefined();
    expect(res.data?.me.kind).toBe('API_TOKEN');
  });

  it('refuses introspection', async () => {
    const res = await graphqlHttp(env.url, '{ __schema { types { name } } }', {}, { bearer: token });
    expect(res.errors?.[0]?.message).toMatch(/introspection/i);
    expect(res.data).toBeUndefined();
  });

  it('refuses operations that are too deep, too costly or too long', async () => {
    let deep = 'id';
    for (let i = 0; i < 14; i += 1) deep = `merchant { ${deep} }`;
    // Nonsense as a query, but depth is measured before field validity matters to the caller.
    const tooDeep = await graphqlHttp(env.url, `{ payins(first: 1) { nodes { ${deep} } } }`, {}, { bearer: token });
    expect(tooDeep.errors?.map((e) => e.extensions?.code)).toContain('QUERY_TOO_DEEP');

    const page = 'payins(first: $n) { nodes { id orderNo status createdAt amount { amount currency } } }';
    const aliases = Array.from({ length: 40 }, (_, i) => `o${i}: ${page}`).join('\n');
    const costly = await graphqlHttp(env.url, `query($n: Int) { ${aliases} }`, { n: 200 }, { bearer: token });
    expect(codeOf(costly)).toBe('QUERY_TOO_COSTLY');
    expect(costly.data).toBeUndefined();
    // The same document with small pages is fine: the cost follows the variables.
    const cheap = await graphqlHttp(env.url, `query($n: Int) { ${aliases} }`, { n: 5 }, { bearer: token });
    expect(cheap.errors).toBeUndefined();

    const long = await graphqlHttp(env.url, `{ ${Array.from({ length: 6_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`, {}, { bearer: token });
    expect(long.errors?.[0]?.message).toMatch(/token/i);

    const huge = await fetch(`${env.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { kind } }', variables: { padding: 'x'.repeat(300 * 1024) } }),
    });
    expect(huge.status).toBe(413);
  });

  it('refuses nodes(ids) with more than 100 ids (TOO_MANY_IDS) instead of holding connections for each', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`Payin:00000000-0000-7000-8000-${String(i).padStart(12, '0')}`).toString('base64'));
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
    const many = await graphqlHttp(env.url, query, { ids: ids(101) }, { bearer: token });
    expect(codeOf(many)).toBe('TOO_MANY_IDS');
    const enough = await graphqlHttp(env.url, query, { ids: ids(100) }, { bearer: token });
    expect(enough.errors).toBeUndefined();
    expect(enough.data!.nodes).toHaveLength(100);
    expect(enough.data!.nodes.every((n: unknown) => n === null)).toBe(true);
  });

  it('refuses NUL and lone surrogates in string literals and variables as BAD_USER_INPUT, not an internal error', async () => {
    const literal = await graphqlHttp(env.url, '{ payins(first: 1, filter: { outTradeNo: "a\\u0000b" }) { nodes { id } } }', {}, { bearer: token });
    expect(literal.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(literal.data).toBeUndefined();

    const query = 'query($f: PayinFilter, $s: String) { payins(first: 1, filter: $f) { nodes { id } } b: payins(first: 1, filter: { orderNo: $s }) { nodes { id } } }';
    for (const [variables, field] of [
      [{ s: 'x\u0000' }, '$s'],
      [{ s: '\uD800' }, '$s'],
      [{ s: 'ok\uDC00' }, '$s'],
      [{ f: { outTradeNo: 'a\u0000' } }, '$f.outTradeNo'],
      [{ f: { currencies: ['THB', '\uDBFF'] } }, '$f.currencies[1]'],
    ] as const) {
      const res = await graphqlHttp(env.url, query, variables, { bearer: token });
      expect(res.errors?.map((e) => e.extensions?.code), field).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0]?.extensions?.field, field).toBe(field);
      expect(res.data, field).toBeUndefined();
    }
    // Clean text, astral characters included, still goes through.
    const clean = await graphqlHttp(env.url, query, { s: 'สมชาย 😀', f: { outTradeNo: 'A-1' } }, { bearer: token });
    expect(clean.errors).toBeUndefined();
    expect(clean.data?.payins.nodes).toEqual([]);
  });

  it('holds graphql-ws sessions to the allow-list too', async () => {
    class CookieWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie: viewer.cookie } });
      }
    }
    const client = createClient({ url: `${env.url.replace('http', 'ws')}/graphql`, webSocketImpl: CookieWebSocket, retryAttempts: 0, lazy: true });
    clients.push(client);
    const run = (query: string) =>
      new Promise<{ data?: any; errors?: Array<{ extensions?: Record<string, unknown> }> }>((resolve) => {
        let value: any;
        client.subscribe({ query }, { next: (v) => (value = v), error: (errors) => resolve({ errors: errors as never }), complete: () => resolve(value) });
      });
    expect((await run(ME_DOCUMENT)).data?.me.email).toBe(viewer.user.email);
    const refused = await run('{ me { email } }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_ALLOWED');
  });
});
