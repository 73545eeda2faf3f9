import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { quoteIdent, withDatabase, withPgClient } from '../../src/db/database.ts';
import { createPrisma, type PrismaClient } from '../../src/db/prisma.ts';

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

/** A fresh, fully migrated database cloned from the run's template (milliseconds, isolated per file). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('pgServerUrl');
  const name = `${inject('runPrefix')}_${randomBytes(5).toString('hex')}`;
  await withPgClient(serverUrl, async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(inject('templateDatabase'))}`);
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

