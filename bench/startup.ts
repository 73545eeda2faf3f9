import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench:startup`: how long `npm start` takes to answer /healthz and how much memory its
 * processes hold when idle, measured from the outside exactly as a newcomer runs it (the root `npm start`,
 * with no DATABASE_URL, so the embedded PostgreSQL; no REDIS_URL):
 *
 *   1. first start on a bare machine: a fresh data folder (initdb, migrations, demo seed), to /healthz;
 *   2. a start on that existing database after a server source change (server/dist rebuilt);
 *   3. the same after an admin app source change (web/dist rebuilt);
 *   4. a warm start (nothing to build);
 * then the resident memory (RSS) of the idle server process, and of a worker-only process
 * (`npm run worker`, on the same database). A source change is simulated by removing the build's stamp
 * (dist/.source-hash), which is what a changed source hash amounts to; no source is touched.
 *
 * Prints a table and writes bench/results/startup.json, which `npm run bench` summarises. Nothing is
 * asserted about time or memory; it fails only when a process does not start.
 *
 *   BENCH_STARTUP_PORT=4790 BENCH_STARTUP_PG_PORT=54790   ports of the server and its embedded PostgreSQL
 *   BENCH_STARTUP_IDLE_SECONDS=20                         how long a process idles before its RSS is read
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const PORT = Number(process.env.BENCH_STARTUP_PORT ?? 4790);
const PG_PORT = Number(process.env.BENCH_STARTUP_PG_PORT ?? 54790);
const IDLE_MS = Number(process.env.BENCH_STARTUP_IDLE_SECONDS ?? 20) * 1000;
const START_TIMEOUT_MS = 180_000;
const STAMPS = { server: path.join(ROOT, 'server', 'dist', '.source-hash'), web: path.join(ROOT, 'web', 'dist', '.source-hash') };

/** Processes and folders to remove when the run ends or is interrupted. */
const running = new Set<ChildProcess>();
const folders: string[] = [];

interface Started {
  child: ChildProcess;
  seconds: number;
  output: () => string;
}

export interface StartupResults {
  startedAt: string;
  node: string;
  cpus: string;
  firstStartSeconds: number;
  serverChangeSeconds: number;
  webChangeSeconds: number;
  warmSeconds: number;
  serverRssMb: { afterFirstStart: number; idle: number };
  workerRssMb: number;
}

/** `npm run <script>` at the repository root in its own process group (stopped like Ctrl-C stops it). */
function npmRun(script: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn('npm', ['run', '--silent', script], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => output };
}

async function healthy(): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${PORT}/healthz`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** Runs `npm start` and waits for /healthz; the seconds count from the spawn of npm. */
async function start(env: NodeJS.ProcessEnv): Promise<Started> {
  if (await healthy()) throw new Error(`something already answers on port ${PORT}: set BENCH_STARTUP_PORT`);
  const began = performance.now();
  const { child, output } = npmRun('start', env);
  let exited = false;
  child.once('exit', () => (exited = true));
  while (!(await healthy())) {
    if (exited) throw new Error(`npm start exited before /healthz answered:\n${output()}`);
    if (performance.now() - began > START_TIMEOUT_MS) {
      await stop(child);
      throw new Error(`no /healthz within ${START_TIMEOUT_MS / 1000} s:\n${output()}`);
    }
    await sleep(50);
  }
  return { child, seconds: (performance.now() - began) / 1000, output };
}

/** SIGINT to the process group, as Ctrl-C; SIGKILL if it has not exited after 40 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid!, 'SIGINT');
  const killed = sleep(40_000).then(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Gone already.
    }
  });
  await Promise.race([exited, killed]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** RSS (MB) of the descendant of `root` whose command line contains `needle`. */
function descendantRssMb(root: number, needle: string): number {
  const rows = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), rssKb: Number(m[3]), args: m[4]! }));
  const family = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) if (family.has(row.ppid) && !family.has(row.pid)) (family.add(row.pid), (grew = true));
  }
  // npm runs a script through `sh -c "<script>"`, whose command line holds the needle too: take the
  // largest process, which is the Node.js one.
  const match = rows.filter((row) => family.has(row.pid) && row.args.includes(needle)).sort((a, b) => b.rssKb - a.rssKb)[0];
  if (!match) throw new Error(`no process running "${needle}" under pid ${root}`);
  return Math.round(match.rssKb / 1024);
}

/** The embedded cluster's folder: in the data folder, or (run as root) where the server moved it. */
function embeddedClusterDirs(dataDir: string): string[] {
  const cluster = path.join(dataDir, 'postgres');
  return [cluster, path.join('/var/lib/payrail', `data-${createHash('sha256').update(cluster).digest('hex').slice(0, 16)}`)];
}

async function embeddedDatabaseUrl(dataDir: string): Promise<string> {
  const file = embeddedClusterDirs(dataDir)
    .map((dir) => path.join(dir, '.payrail-password'))
    .find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`no embedded database password under ${dataDir}`);
  const password = (await readFile(file, 'utf8')).trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${PG_PORT}/payrail`;
}

async function startAndStop(label: string, env: NodeJS.ProcessEnv): Promise<number> {
  const run = await start(env);
  console.log(`  ${label}: /healthz after ${run.seconds.toFixed(1)} s`);
  await stop(run.child);
  return run.seconds;
}

async function main(): Promise<StartupResults> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'payrail-startup-'));
  folders.push(dataDir, ...embeddedClusterDirs(dataDir));
  const env: NodeJS.ProcessEnv = { ...process.env, PAYRAIL_DATA_DIR: dataDir, PORT: String(PORT), EMBEDDED_PG_PORT: String(PG_PORT), LOG_LEVEL: 'info' };
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'SEED_DEMO', 'RUN_WORKER', 'NODE_ENV']) delete env[key];
  const results: Partial<StartupResults> = { startedAt: new Date().toISOString(), node: process.version, cpus: `${availableParallelism()} × ${cpus()[0]?.model.trim() ?? '?'}` };
  console.log(`npm start → /healthz, ${results.cpus}, Node ${results.node}; data in ${dataDir}`);
  try {
    // The builds are current before the first start, so that it measures the database alone.
    execFileSync(process.execPath, [path.join(ROOT, 'server', 'scripts', 'build.mjs'), '--if-changed'], { stdio: 'inherit' });

    const first = await start(env);
    console.log(`  first start on a bare machine (initdb, migrations, demo seed): /healthz after ${first.seconds.toFixed(1)} s`);
    await sleep(IDLE_MS);
    const afterFirstStart = descendantRssMb(first.child.pid!, 'scripts/start.mjs');
    await stop(first.child);
    results.firstStartSeconds = first.seconds;

    await rm(STAMPS.server, { force: true });
    results.serverChangeSeconds = await startAndStop('existing database, after a server source change', env);
    await rm(STAMPS.web, { force: true });
    results.webChangeSeconds = await startAndStop('existing database, after an admin app source change', env);

    const warm = await start(env);
    results.warmSeconds = warm.seconds;
    console.log(`  existing database, warm (nothing to build): /healthz after ${warm.seconds.toFixed(1)} s`);
    try {
      await sleep(IDLE_MS);
      results.serverRssMb = { afterFirstStart, idle: descendantRssMb(warm.child.pid!, 'scripts/start.mjs') };
      const worker = npmRun('worker', { ...env, DATABASE_URL: await embeddedDatabaseUrl(dataDir) });
      try {
        await sleep(IDLE_MS);
        if (worker.child.exitCode !== null) throw new Error(`npm run worker exited:\n${worker.output()}`);
        results.workerRssMb = descendantRssMb(worker.child.pid!, 'scripts/start.mjs worker-main');
      } finally {
        await stop(worker.child);
      }
    } finally {
      await stop(warm.child);
    }
    return results as StartupResults;
  } finally {
    await cleanUp();
  }
}

async function cleanUp(): Promise<void> {
  await Promise.all([...running].map((child) => stop(child)));
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
}

export function startupSummary(r: StartupResults): string[] {
  return [
    `first start on a bare machine (initdb + migrations + demo seed)   ${r.firstStartSeconds.toFixed(1)} s`,
    `existing database, after a server source change (rebuild)         ${r.serverChangeSeconds.toFixed(1)} s`,
    `existing database, after an admin app source change (rebuild)     ${r.webChangeSeconds.toFixed(1)} s`,
    `existing database, warm                                           ${r.warmSeconds.toFixed(1)} s`,
    `idle RSS: server ${r.serverRssMb.idle} MB (${r.serverRssMb.afterFirstStart} MB after seeding), worker ${r.workerRssMb} MB`,
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the server and removing the data folder …`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  try {
    const results = await main();
    await mkdir(RESULTS_DIR, { recursive: true });
    await writeFile(path.join(RESULTS_DIR, 'startup.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(['', 'npm start, from the spawn of npm to /healthz answering:', ...startupSummary(results).map((l) => `  ${l}`)].join('\n'));
    console.log('Results written to bench/results/startup.json');
  } catch (error) {
    console.error('\nThe startup benchmark could not run:', error);
    process.exitCode = 1;
  }
}
