// Ahead-of-time builds for `npm start`, `npm run build` and the Docker image, so that a start runs
// compiled JavaScript instead of compiling TypeScript (tsx) and the admin app (vite) every time.
//
// - The server: esbuild bundles src/main.ts and src/worker-main.ts into server/dist (ES modules, shared
//   code in chunks, sourcemaps, every npm package left external). `import.meta.url` in a bundled file is
//   replaced by its source file's URL (relative to dist), so `new URL('../x', import.meta.url)` still
//   finds what lies beside the source (migrations, the cashier's CSS, web/dist, .payrail).
// - The admin app: `vite build` into web/dist.
// Each output holds a stamp, `.source-hash`: sha256 over the inputs (path + bytes). `--if-changed`
// builds only an output whose stamp differs from its current inputs, so an unchanged tree costs one
// hash (tens of milliseconds) instead of a build.
//
//   node server/scripts/build.mjs [--if-changed] [server] [web]     (neither named: both)
//
// Plain JavaScript on purpose: it runs before anything is compiled, on any supported Node.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SERVER_ROOT = path.join(REPO_ROOT, 'server');
export const SERVER_DIST = path.join(SERVER_ROOT, 'dist');
export const WEB_ROOT = path.join(REPO_ROOT, 'web');
export const WEB_DIST = path.join(WEB_ROOT, 'dist');
const STAMP = '.source-hash';

/** The processes `npm start` and `npm run worker` run, as bundle entry points (dist/<name>.js). */
export const SERVER_ENTRIES = ['main', 'worker-main'];

/**
 * What each output is built from. The server's bundle leaves npm packages external, so only its own
 * sources (with the generated Prisma client) and the way it is built count; the admin app's bundle
 * includes its packages, so the lockfile counts too (the same inputs as the browser tests' build cache,
 * server/test/browser/support/web-build.ts, plus the lockfile).
 */
const INPUTS = {
  server: { root: SERVER_ROOT, folders: ['src'], files: ['package.json', '../tsconfig.json', 'scripts/build.mjs'] },
  web: {
    root: WEB_ROOT,
    folders: ['src', 'public'],
    files: ['index.html', 'vite.config.ts', 'package.json', 'tsconfig.json', '../package-lock.json'],
  },
};

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** sha256 (hex, 16 chars) over the inputs of `target` ('server' or 'web'): each file's path and bytes. */
export function sourceHash(target) {
  const { root, folders, files } = INPUTS[target];
  const all = [
    ...folders.flatMap((folder) => listFiles(path.join(root, folder))),
    ...files.map((file) => path.join(root, file)).filter((file) => existsSync(file)),
  ]
    // Unit tests beside the sources are not part of the bundle.
    .filter((file) => !/\.test\.ts$/.test(file))
    .sort();
  const hash = createHash('sha256');
  for (const file of all) {
    hash.update(path.relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function distOf(target) {
  return target === 'server' ? SERVER_DIST : WEB_DIST;
}

/** The stamp `target`'s output was built from, or null when there is no complete output. */
export function builtHash(target) {
  try {
    return readFileSync(path.join(distOf(target), STAMP), 'utf8').trim();
  } catch {
    return null;
  }
}

/** True when `target`'s output was built from exactly the current inputs. */
export function isCurrent(target) {
  return builtHash(target) === sourceHash(target);
}

/**
 * In the server's own sources, `import.meta.url` becomes the URL of the source file, computed from the
 * output file's URL, so paths relative to a source keep pointing where they did. Every output file lies
 * directly in dist/ (entries and chunks), so one relative path serves.
 */
function sourceUrl(text, file) {
  if (!text.includes('import.meta.url')) return text;
  const relative = path.relative(SERVER_DIST, file).split(path.sep).join('/');
  return text.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`);
}

/**
 * The generated Prisma client takes its query compiler (3.4 MB of WebAssembly) from a module that
 * exports it as one base64 string: once imported, that module's source and the string stay in the
 * heap for good (8.7 MB). Read from the file instead, the text is garbage once compiled. Applied only
 * when the generated code and the module look exactly as expected; otherwise the client is left as is.
 */
const WASM_IMPORT = /const \{ wasm \} = await import\("(@prisma\/client\/runtime\/[\w.-]+\.wasm-base64\.mjs)"\)\s*return await decodeBase64AsWasm\(wasm\)/;
const WASM_MODULE = /^const wasm = "[A-Za-z0-9+/=]+";?\s*export \{ wasm \};?\s*$/;

function transientQueryCompiler(text, file, warn) {
  if (!/generated[\\/]prisma[\\/]internal[\\/]class\.ts$/.test(file)) return text;
  const match = WASM_IMPORT.exec(text);
  let moduleText = '';
  try {
    moduleText = match ? readFileSync(fileURLToPath(import.meta.resolve(match[1])), 'utf8') : '';
  } catch {
    // Not resolvable from here: left as generated.
  }
  if (!match || !WASM_MODULE.test(moduleText)) {
    warn(`${path.relative(REPO_ROOT, file)}: the query compiler is not loaded the expected way; it stays in the heap as generated`);
    return text;
  }
  const reader = `
async function payrailWasmBase64(specifier: string): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  const text = await readFile(new URL(import.meta.resolve(specifier)), 'utf8')
  return text.slice(text.indexOf('"') + 1, text.lastIndexOf('"'))
}
`;
  return text.replace(WASM_IMPORT, `return await decodeBase64AsWasm(await payrailWasmBase64(${JSON.stringify(match[1])}))`) + reader;
}

/** esbuild plugin applying the transforms above to the server's own TypeScript. */
function serverSourcesPlugin(warnings) {
  return {
    name: 'payrail-server-sources',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, ({ path: file }) => {
        if (file.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const original = readFileSync(file, 'utf8');
        const text = sourceUrl(transientQueryCompiler(original, file, (line) => warnings.push(line)), file);
        return text === original ? undefined : { contents: text, loader: 'ts' };
      });
    },
  };
}

async function buildServer(hash) {
  const esbuild = await import('esbuild');
  // Built beside dist and renamed into place: a start never sees half a build.
  const temp = `${SERVER_DIST}.tmp-${process.pid}`;
  const warnings = [];
  await rm(temp, { recursive: true, force: true });
  try {
    await esbuild.build({
      absWorkingDir: SERVER_ROOT,
      entryPoints: Object.fromEntries(SERVER_ENTRIES.map((name) => [name, `src/${name}.ts`])),
      outdir: temp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node22.18',
      packages: 'external',
      sourcemap: true,
      // Stack traces need the mappings only; the sources lie beside dist and would be held in memory twice.
      sourcesContent: false,
      // AppError sets `this.name = new.target.name`: class names must survive bundling.
      keepNames: true,
      chunkNames: 'chunk-[hash]',
      logLevel: 'warning',
      plugins: [serverSourcesPlugin(warnings)],
    });
    for (const warning of warnings) console.error(`warning: ${warning}`);
    await writeFile(path.join(temp, STAMP), `${hash}\n`);
    await rm(SERVER_DIST, { recursive: true, force: true });
    await rename(temp, SERVER_DIST);
  } finally {
    await rm(temp, { recursive: true, force: true });
    await esbuild.stop();
  }
}

function buildWeb(hash) {
  const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build'], { cwd: WEB_ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`vite build failed (exit ${code})`));
      // Written last: a failed or interrupted build leaves no stamp, and the next start builds again.
      writeFile(path.join(WEB_DIST, STAMP), `${hash}\n`).then(resolve, reject);
    });
  });
}

const BUILDERS = { server: buildServer, web: buildWeb };

/** Builds each of `targets` (all of them unless `ifChanged` and its stamp matches its inputs). */
export async function build(targets, { ifChanged = false, log = (line) => console.error(line) } = {}) {
  for (const target of targets) {
    const hash = sourceHash(target);
    if (ifChanged && builtHash(target) === hash) continue;
    const started = Date.now();
    log(`building the ${target === 'server' ? 'server' : 'admin app'} (${path.relative(REPO_ROOT, distOf(target))}) …`);
    await mkdir(path.dirname(distOf(target)), { recursive: true });
    await BUILDERS[target](hash);
    log(`built the ${target === 'server' ? 'server' : 'admin app'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !['--if-changed', 'server', 'web'].includes(a));
  if (unknown.length) {
    console.error(`usage: node server/scripts/build.mjs [--if-changed] [server] [web]  (unknown: ${unknown.join(' ')})`);
    process.exit(2);
  }
  const named = args.filter((a) => a !== '--if-changed');
  try {
    await build(named.length ? named : ['server', 'web'], { ifChanged: args.includes('--if-changed') });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
