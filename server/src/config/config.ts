import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** `.payrail/` at the repository root, wherever npm runs the script from. */
const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../.payrail', import.meta.url));

/** The admin SPA's operations (`npm run codegen` writes them). */
const DEFAULT_ALLOW_LIST_FILE = fileURLToPath(new URL('../../../web/src/gql/persisted-documents.json', import.meta.url));

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every environment variable the platform reads, with its default. The README lists the same table. */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Address to listen on. Loopback by default: the embedded demo has well-known passwords. Containers set 0.0.0.0. */
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Base URL payers and upstreams reach us at; payment_url and upstream callback URLs are built from it. */
  PUBLIC_URL: z.url().optional(),
  /** PostgreSQL connection string. Unset: an embedded PostgreSQL is started in PAYRAIL_DATA_DIR. */
  DATABASE_URL: z.string().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Folder for the embedded database and the generated development secret. */
  PAYRAIL_DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /** Redis for pub/sub between replicas and the nonce store. Unset: in-process pub/sub, nonces in PostgreSQL. */
  REDIS_URL: z.string().optional(),
  /** 32-byte key (hex or base64) encrypting secrets at rest. Required in production; generated into the data folder otherwise. */
  SECRET_KEY: z.string().optional(),
  /** Sign-in: a session ends after this many minutes without a request … */
  AUTH_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  /** … and this many hours after sign-in, whatever happens. */
  AUTH_SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  /** Failed sign-ins (password or second factor) within the window that lock the account. */
  AUTH_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).default(5),
  AUTH_LOCKOUT_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  AUTH_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
  /** Sign-in attempts per client IP per minute (0 = no limit); shared through Redis when set. */
  AUTH_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /** Staff (users with a GLOBAL role) must use TOTP. Unset: true, except the embedded-database demo. */
  AUTH_REQUIRE_STAFF_MFA: bool.optional(),
  /** Open GraphQL WebSockets re-check their session or token this often, closing when it has ended. */
  WS_SESSION_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /** Run the background worker inside the server process (`false` when workers run as their own processes). */
  RUN_WORKER: bool.default(true),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  /** Every worker process records a heartbeat this often (worker_processes). */
  WORKER_HEARTBEAT_SECONDS: z.coerce.number().min(0.2).max(300).default(5),
  /** A worker process silent this long is dead: the jobs and callback claims it held are released. */
  WORKER_DEAD_AFTER_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /** How often each worker process looks for dead ones (also once at start). */
  WORKER_SWEEP_SECONDS: z.coerce.number().min(0.2).max(3600).default(15),
  /** Seed demo data into an empty database at start (defaults to on for the embedded database). */
  SEED_DEMO: bool.optional(),
  /** Apply pending migrations at start. */
  MIGRATE_ON_START: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Proxies whose X-Forwarded-For is believed (client IPs feed the IP whitelist): `false`, `true`, or comma-separated addresses/CIDRs. */
  TRUST_PROXY: z.string().default('false'),
  /**
   * Origins (comma-separated, exact: scheme://host[:port]) whose pages may call the API with the user's
   * cookies (CORS with credentials). Unset: none; the admin app is served from the same origin.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const origins = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
      for (const origin of origins) {
        if (!isExactOrigin(origin)) ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://admin.example.com` });
      }
      return origins;
    }),
  /** Signed /v1 requests allowed per app per second (0 = no limit); shared through Redis when set. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(0).default(200),
  /** Callbacks may reach loopback, private and link-local addresses. Unset: allowed except in production. */
  CALLBACK_ALLOW_PRIVATE_NETWORKS: bool.optional(),
  /**
   * Test orders and payouts go only to sandbox channels, live ones never to a sandbox channel (so a live
   * balance cannot grow through a simulated upstream, and test money never touches a real provider).
   * Unset: on in production, off otherwise (the demo's live orders use the sandbox).
   */
  SANDBOX_FOR_TEST_ONLY: bool.optional(),
  /** A payout PROCESSING longer than this is re-queried from its connector by the janitor. */
  PAYOUT_RECONCILE_AFTER_SECONDS: z.coerce.number().int().min(1).default(600),
  /**
   * A payout marked PROCESSING whose submission recorded no answer after this long was interrupted: the
   * janitor asks its upstream (at once when its worker is found dead). Connectors must time out well before it.
   */
  PAYOUT_SUBMIT_STALLED_SECONDS: z.coerce.number().int().min(10).default(120),
  /** A verified upstream callback recorded but not applied after this long (the process died) is re-applied. */
  UPSTREAM_CALLBACK_REAPPLY_AFTER_SECONDS: z.coerce.number().int().min(1).default(15),
  /** A payin PROCESSING longer than this (and not yet expired) is re-queried from its connector. */
  PAYIN_RECONCILE_AFTER_SECONDS: z.coerce.number().int().min(1).default(600),
  /** GraphQL: deepest field nesting one operation may have. */
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).default(12),
  /** GraphQL: estimated cost limit (a field costs 1, multiplied by the rows of the lists above it). */
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(50_000),
  /** GraphQL: parser token limit per document. */
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).default(10_000),
  /** GraphQL schema introspection. Unset: off in production, on otherwise. */
  GRAPHQL_INTROSPECTION: bool.optional(),
  /** Signed-in sessions may run only the admin SPA's operations (API tokens run any). Unset: on in production. */
  GRAPHQL_ALLOW_LIST: bool.optional(),
  /** The SPA's operations, as codegen writes them. */
  GRAPHQL_ALLOW_LIST_FILE: z.string().default(DEFAULT_ALLOW_LIST_FILE),
  /** Directory with the built admin SPA. */
  WEB_DIST: z.string().optional(),
});

/** `https://host[:port]` exactly as a browser sends it in `Origin` (no path, no trailing slash, lower-case). */
function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

export type Config = z.infer<typeof schema> & {
  publicUrl: string;
  trustProxy: boolean | string[];
  callbackAllowPrivateNetworks: boolean;
  sandboxForTestOnly: boolean;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const c = parsed.data;
  if (c.NODE_ENV === 'production' && !c.SECRET_KEY) {
    throw new Error('Invalid configuration:\n  SECRET_KEY: required in production');
  }
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  const trustProxy = c.TRUST_PROXY === 'true' ? true : c.TRUST_PROXY === 'false' ? false : c.TRUST_PROXY.split(',').map((s) => s.trim());
  const callbackAllowPrivateNetworks = c.CALLBACK_ALLOW_PRIVATE_NETWORKS ?? c.NODE_ENV !== 'production';
  const sandboxForTestOnly = c.SANDBOX_FOR_TEST_ONLY ?? c.NODE_ENV === 'production';
  return { ...c, publicUrl, trustProxy, callbackAllowPrivateNetworks, sandboxForTestOnly };
}
