import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../../codegen.ts';
import { REPO_ROOT } from './support/web-build.ts';

/**
 * `web/src/gql/` is generated (`npm run codegen`) and committed: it must be what codegen makes today
 * from `server/schema.graphql` and the documents in web/src, or the SPA's types lie about the API.
 */
describe('web typed documents', () => {
  it('web/src/gql is current with server/schema.graphql and the web documents', { timeout: 120_000 }, async () => {
    const previous = process.cwd();
    process.chdir(REPO_ROOT);
    let outputs: Array<{ filename: string; content: string }>;
    try {
      outputs = await generate({ ...config, cwd: REPO_ROOT, silent: true }, false);
    } finally {
      process.chdir(previous);
    }
    expect(outputs.length).toBeGreaterThan(0);
    const stale: string[] = [];
    for (const output of outputs) {
      const file = path.resolve(REPO_ROOT, output.filename);
      const committed = await readFile(file, 'utf8').catch(() => null);
      if (committed !== output.content) stale.push(path.relative(REPO_ROOT, file));
    }
    expect(stale, 'run `npm run codegen` and commit web/src/gql').toEqual([]);
  });
});
