import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of ARCHITECTURE.md. Imports are checked by dependency-cruiser with the project's
 * .dependency-cruiser.cjs (no circles, modules never import adapters, …); what imports cannot show —
 * who writes which table — is checked here by reading the code.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const src = join(root, 'server/src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const WRITE_CALL = /\b(?:prisma|tx|db)\s*\.\s*([a-z]\w*)\s*\.\s*(create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)\s*\(/g;
const RAW_WRITE = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z_]+)"?(?:\s|\()/g;
const LEDGER_MODELS = new Set(['ledgerAccount', 'ledgerTransaction', 'ledgerEntry']);
const LEDGER_TABLES = new Set(['ledger_accounts', 'ledger_transactions', 'ledger_entries']);

/** Every table write in a source text: Prisma model calls, raw SQL and transactions opened. */
export function tableWrites(text: string): Array<{ target: string; how: string }> {
  const writes: Array<{ target: string; how: string }> = [];
  for (const m of text.matchAll(WRITE_CALL)) writes.push({ target: m[1]!, how: m[2]! });
  for (const m of text.matchAll(RAW_WRITE)) writes.push({ target: m[1]!, how: 'raw SQL' });
  if (/\$executeRaw|\$transaction\s*\(/.test(text)) writes.push({ target: '*', how: '$executeRaw / $transaction' });
  return writes;
}

describe('the layers of the house', () => {
  it('hold the import rules of .dependency-cruiser.cjs (no circles, modules never import adapters …)', { timeout: 120_000 }, async () => {
    const cli = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
    const run = promisify(execFile);
    const result = await run(process.execPath, [cli, 'server/src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: root }).then(
      ({ stdout }) => ({ ok: true, out: stdout }),
      (error: { stdout?: string; stderr?: string }) => ({ ok: false, out: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    expect(result.out).toContain('no dependency violations found');
    expect(result.ok, result.out).toBe(true);
  });

  it('adapters (GraphQL, REST, HTTP routes, the cashier) write no table: modules do', () => {
    const offenders = ['graphql', 'rest', 'http', 'cashier']
      .flatMap((layer) => sourceFiles(join(src, layer)))
      .flatMap((file) => tableWrites(readFileSync(file, 'utf8')).map((w) => `${relative(root, file)}: ${w.target} (${w.how})`));
    expect(offenders).toEqual([]);
  });

  it('only modules/ledger writes ledger accounts, transactions and entries', () => {
    const offenders = sourceFiles(src)
      .filter((file) => !file.startsWith(join(src, 'modules/ledger/')))
      .flatMap((file) =>
        tableWrites(readFileSync(file, 'utf8'))
          .filter((w) => LEDGER_MODELS.has(w.target) || LEDGER_TABLES.has(w.target))
          .map((w) => `${relative(root, file)}: ${w.target} (${w.how})`),
      );
    expect(offenders).toEqual([]);
  });

  it('the write detector sees the writes it is meant to see', () => {
    expect(tableWrites('await ctx.prisma.order.update({ where })')).toEqual([{ target: 'order', how: 'update' }]);
    expect(tableWrites('tx.ledgerEntry.createMany({ data })')).toEqual([{ target: 'ledgerEntry', how: 'createMany' }]);
    expect(tableWrites('tx.$executeRaw`INSERT INTO ledger_entries (id) VALUES (1)`').map((w) => w.target)).toEqual(['ledger_entries', '*']);
    expect(tableWrites('sockets.delete(socket); hash.update(x)')).toEqual([]);
  });
});
