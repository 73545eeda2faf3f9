import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { quoteIdent, withDatabase, withPgClient } from '../../src/db/database.ts';
import { createPrisma, type PrismaClient } from '../../src/db/prisma.ts';

/** Where test databases come from: a server, the migrated template to clone, the run's name prefix. */
export interface TestPostgres {
  serverUrl: string;
  templateDatabase: string;
  runPrefix: string;
}

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

/**
 * A fresh, fully migrated database cloned from the run's template (milliseconds, isolated per file).
 * Inside vitest the template is the global setup's; elsewhere (benchmarks) pass `startTestPostgres()`'s.
 */
export async function createTestDatabase(postgres: TestPostgres = providedPostgres()): Promise<TestDatabase> {
  const { serverUrl, templateDatabase } = postgres;
  const name = `${postgres.runPrefix}_${randomBytes(5).toString('hex')}`;
  await withPgClient(serverUrl, async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(templateDatabase)}`);
        return;
      } catch (error) {
        // 55006: the template is briefly in use by another clone; try again.
        if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  });
  const url = withDatabase(serverUrl, name);
  const prisma = createPrisma(url, 5);
  return {
    url,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await withPgClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    },
  };
}

function providedPostgres(): TestPostgres {
  return { serverUrl: inject('pgServerUrl'), templateDatabase: inject('templateDatabase'), runPrefix: inject('runPrefix') };
}
