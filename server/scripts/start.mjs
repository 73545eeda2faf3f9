// Runs a server process from its ahead-of-time build: `npm start` (with --web), `npm run start` and
// `npm run worker` of the server workspace, and the Docker image. It builds first only what changed
// (see build.mjs: the inputs' hash against the stamp in dist/), in a child process so that nothing of
// the build stays in this one, then imports server/dist/<entry>.js here: no second process, no tsx.
//
//   node server/scripts/start.mjs [--web] [main | worker-main]      (default: main)
//
// --web also builds the admin app (web/dist) when its sources changed; the image builds it beforehand.
// Stack traces point into the TypeScript sources through the bundle's sourcemaps.
import { spawnSync } from 'node:child_process';
import { setSourceMapsSupport } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isCurrent, SERVER_DIST, SERVER_ENTRIES } from './build.mjs';

const args = process.argv.slice(2);
const withWeb = args.includes('--web');
const named = args.filter((a) => a !== '--web');
const entry = named[0] ?? 'main';
if (named.length > 1 || !SERVER_ENTRIES.includes(entry)) {
  console.error(`usage: node server/scripts/start.mjs [--web] [${SERVER_ENTRIES.join(' | ')}]`);
  process.exit(2);
}

const stale = [...(withWeb ? ['web'] : []), 'server'].filter((target) => !isCurrent(target));
if (stale.length > 0) {
  const script = fileURLToPath(new URL('./build.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [script, ...stale], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`payrail: building ${stale.join(' and ')} failed; not starting`);
    process.exit(result.status ?? 1);
  }
}

setSourceMapsSupport(true, { nodeModules: false, generatedCode: false });
await import(pathToFileURL(path.join(SERVER_DIST, `${entry}.js`)).href);
