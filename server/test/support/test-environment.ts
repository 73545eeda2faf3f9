import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import type { PrismaClient } from '../../src/db/prisma.ts';
import type { AppServices } from '../../src/services.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { startPlatform } from '../../src/platform.ts';
import { createTestDatabase, type TestPostgres } from './test-database.ts';

export interface TestEnvironment {
  /** Base URL of the running server, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Where the server listens (address and port as bound). */
  address: AddressInfo;
  databaseUrl: string;
  prisma: PrismaClient;
  services: AppServices;
  /** POSTs a GraphQL operation and returns the parsed body. */
  graphql<T = unknown>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  stop(): Promise<void>;
}

export interface TestEnvironmentOptions {
  worker?: boolean;
  /** Config overrides (DB_POOL_SIZE, RATE_LIMIT_PER_SECOND …); undefined leaves a setting unset (its default). */
  env?: Record<string, string | undefined>;
  /** Outside vitest (benchmarks): the server and template to clone, from `startTestPostgres()`. */
  postgres?: TestPostgres;
}

/** A running platform (HTTP server, optional worker) on its own fresh database. */
export async function createTestEnvironment(opts: TestEnvironmentOptions = {}): Promise<TestEnvironment> {
  const database = await createTestDatabase(opts.postgres);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'payrail-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: database.url,
    DB_POOL_SIZE: '5',
    SECRET_KEY: randomBytes(32).toString('hex'),
    PAYRAIL_DATA_DIR: dataDir,
    RUN_WORKER: opts.worker ? 'true' : 'false',
    WORKER_CONCURRENCY: '2',
    SEED_DEMO: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...opts.env,
  });
  const platform = await startPlatform(config, createLogger(config.LOG_LEVEL));
  const address = platform.app.fastify.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    address,
    databaseUrl: database.url,
    prisma: platform.services.prisma,
    services: platform.services,
    async graphql(query, variables, headers) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    async stop() {
      await platform.stop();
      await database.prisma.$disconnect();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
