import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The admin SPA built once per content: `ensureWebBuild()` returns a `vite build` output folder for the
 * current sources of `web/`, building it only when no build of exactly these sources exists yet.
 *
 * - Key: sha256 over every file of web/src, web/public and web's config files (path + bytes), so any
 *   edit gives a new build and an unchanged tree reuses the last one, across test files and runs.
 * - Where: `<repo>/node_modules/.cache/payrail-web/<key>/` (never `web/dist`, which `npm start` and
 *   other engineers use). Older builds are removed when a new one lands.
 * - Concurrency: test files run in parallel processes; a lock folder (mkdir is atomic) makes one of
 *   them build while the others wait, then they all read the same folder. A build is written to a
 *   temp folder and renamed into place, so a half-written build is never seen.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const WEB_ROOT = path.join(REPO_ROOT, 'web');
const CACHE_ROOT = path.join(REPO_ROOT, 'node_modules', '.cache', 'payrail-web');
const VITE_BIN = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

const HASHED_FOLDERS = ['src', 'public'];
const HASHED_FILES = ['index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'];
const LOCK_STALE_MS = 5 * 60_000;

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** sha256 (hex, 16 chars) of the SPA's build inputs. */
export async function webSourceHash(): Promise<string> {
  const files = [
    ...(await Promise.all(HASHED_FOLDERS.map((folder) => listFiles(path.join(WEB_ROOT, folder))))).flat(),
    ...HASHED_FILES.map((file) => path.join(WEB_ROOT, file)).filter((file) => existsSync(file)),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(WEB_ROOT, file));
    hash.update('\0');
    hash.update(await readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function runViteBuild(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITE_BIN, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: WEB_ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (exit ${code}):\n${output}`))));
  });
}

async function acquireLock(lockDir: string): Promise<() => Promise<void>> {
  for (;;) {
    try {
      await mkdir(lockDir);
      return () => rm(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const info = await stat(lockDir).catch(() => null);
      // A builder that died (killed test run) leaves its lock behind: take it over after a while.
      if (info && Date.now() - info.mtimeMs > LOCK_STALE_MS) await rm(lockDir, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

let memo: Promise<string> | undefined;

/** The folder of a production build of the current web sources (built now if needed). */
export function ensureWebBuild(): Promise<string> {
  memo ??= buildIfNeeded();
  return memo;
}

async function buildIfNeeded(): Promise<string> {
  const key = await webSourceHash();
  const dist = path.join(CACHE_ROOT, key);
  if (existsSync(path.join(dist, 'index.html'))) return dist;
  await mkdir(CACHE_ROOT, { recursive: true });
  const release = await acquireLock(path.join(CACHE_ROOT, `${key}.lock`));
  try {
    if (existsSync(path.join(dist, 'index.html'))) return dist;
    const temp = path.join(CACHE_ROOT, `${key}.tmp-${process.pid}`);
    await runViteBuild(temp);
    await rename(temp, dist);
    // Keep the cache small: earlier builds of other sources are of no further use.
    for (const entry of await readdir(CACHE_ROOT)) {
      if (entry !== key && /^[0-9a-f]{16}$/.test(entry)) await rm(path.join(CACHE_ROOT, entry), { recursive: true, force: true });
    }
    return dist;
  } finally {
    await release();
  }
}
