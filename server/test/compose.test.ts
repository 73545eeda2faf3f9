/**
 * Static coherence checks of the container layout: ../../docker-compose.yml, ../../Dockerfile and
 * ../../.dockerignore, against the package scripts and the server's configuration schema. Nothing here
 * needs a Docker engine: each check is a function returning the problems it finds, run once on the
 * real files and once more on deliberately broken copies (so a check that can no longer fail is caught).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as configModule from '../src/config/config.ts';
import { loadConfig, type Config } from '../src/config/config.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8');

/** What a developer exports before `docker compose up` (only what the compose file demands). */
const HOST_ENV: Record<string, string> = { PAYRAIL_SECRET_KEY: 'a1'.repeat(32) };
const STANDARD_PORTS = { postgres: 5432, redis: 6379 } as const;
const DEFAULT_PORT = 4000;

// ---------------------------------------------------------------------------------------------------
// Compose model

type EnvValue = string | number | boolean | null;
interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, EnvValue> | string[];
  ports?: Array<string | number | { target?: number | string; published?: number | string; protocol?: string }>;
  depends_on?: string[] | Record<string, { condition?: string } | null>;
  healthcheck?: Healthcheck;
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
  [key: string]: unknown;
}
interface Compose {
  services?: Record<string, Service>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}
interface Dockerfile {
  instructions: Instruction[];
  stages: Array<{ image: string; name?: string }>;
}

interface Layout {
  compose: Compose;
  dockerfile: Dockerfile;
  dockerignore: string[];
  hostEnv: Record<string, string>;
}

function loadLayout(overrides: { compose?: string; dockerfile?: string; dockerignore?: string; hostEnv?: Record<string, string> } = {}): Layout {
  return {
    // JSON round trip: merge keys share the anchored objects between services; checks and mutations need them apart.
    compose: JSON.parse(JSON.stringify(parse(overrides.compose ?? read('docker-compose.yml'), { merge: true }))) as Compose,
    dockerfile: parseDockerfile(overrides.dockerfile ?? read('Dockerfile')),
    dockerignore: parseDockerignore(overrides.dockerignore ?? read('.dockerignore')),
    hostEnv: overrides.hostEnv ?? HOST_ENV,
  };
}

const services = (layout: Layout): Array<[string, Service]> => Object.entries(layout.compose.services ?? {});

/** Compose variable interpolation: $$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}, ${VAR:+r}, ${VAR+r}. */
function interpolate(value: string, env: Record<string, string | undefined>): string {
  const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  return value.replace(pattern, (match, name: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    if (bare) return env[bare] ?? '';
    const v = env[name!];
    const unsetOrEmpty = v === undefined || v === '';
    switch (op) {
      case undefined:
        return v ?? '';
      case ':-':
        return unsetOrEmpty ? arg! : v;
      case '-':
        return v === undefined ? arg! : v;
      case ':?':
      case '?':
        if (op === ':?' ? unsetOrEmpty : v === undefined) throw new Error(`required variable ${name} is missing: ${arg}`);
        return v!;
      case ':+':
        return unsetOrEmpty ? '' : arg!;
      case '+':
        return v === undefined ? '' : arg!;
      default:
        throw new Error(`unsupported interpolation ${match}`);
    }
  });
}

/** The raw `environment` of a service as name -> value (null: passed through from the host). */
function rawEnvironment(service: Service): Record<string, EnvValue> {
  const env = service.environment;
  if (!env) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry): [string, EnvValue] => (entry.includes('=') ? [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] : [entry, null])),
    );
  }
  return env;
}

/** The environment a service's process sees from compose, interpolated against the host environment. */
function composeEnvironment(service: Service, hostEnv: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawEnvironment(service))) {
    if (value === null) {
      if (hostEnv[name] !== undefined) out[name] = hostEnv[name];
    } else {
      out[name] = typeof value === 'string' ? interpolate(value, hostEnv) : String(value);
    }
  }
  return out;
}

function buildContext(service: Service): { context: string; dockerfile: string } | null {
  if (service.build === undefined) return null;
  if (typeof service.build === 'string') return { context: service.build, dockerfile: 'Dockerfile' };
  return { context: service.build.context ?? '.', dockerfile: service.build.dockerfile ?? 'Dockerfile' };
}

/** Services running the Payrail image: built from this repository, or using the image such a service builds. */
function payrailServices(layout: Layout): Array<[string, Service]> {
  const isRepo = (s: Service) => {
    const b = buildContext(s);
    return b !== null && path.resolve(ROOT, b.context) === path.resolve(ROOT);
  };
  const builtImages = new Set(services(layout).filter(([, s]) => isRepo(s) && s.image).map(([, s]) => s.image));
  return services(layout).filter(([, s]) => isRepo(s) || (s.image !== undefined && builtImages.has(s.image)));
}

function argv(command: string | string[]): string[] {
  return Array.isArray(command) ? command.map(String) : command.trim().split(/\s+/);
}

interface NpmScript {
  script: string;
  packageDir: string;
}

/** `npm run <script> [--workspace <ws>]` -> the script and the package folder it is looked up in. */
function npmScript(args: string[]): NpmScript | null {
  if (args[0] !== 'npm' || !['run', 'run-script'].includes(args[1] ?? '') || !args[2]) return null;
  let workspace: string | undefined;
  for (let i = 3; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a === '--workspace' || a === '-w') workspace = args[++i];
    else if (a.startsWith('--workspace=')) workspace = a.slice('--workspace='.length);
  }
  if (workspace === undefined) return { script: args[2], packageDir: '.' };
  const rootWorkspaces = (JSON.parse(read('package.json')) as { workspaces?: string[] }).workspaces ?? [];
  const dir = rootWorkspaces.find((ws) => ws === workspace || (JSON.parse(read(`${ws}/package.json`)) as { name?: string }).name === workspace);
  return dir === undefined ? null : { script: args[2], packageDir: dir };
}

function scriptsOf(packageDir: string): Record<string, string> {
  return (JSON.parse(read(path.join(packageDir, 'package.json'))) as { scripts?: Record<string, string> }).scripts ?? {};
}

/** Problems with an npm-run command: unknown script, or an entry file (`src/x.ts`) that does not exist. */
function checkNpmCommand(what: string, args: string[], expectedScript?: string): string[] {
  const run = npmScript(args);
  if (!run) return [`${what}: ${JSON.stringify(args)} is not "npm run <script> [--workspace <ws>]" on a known workspace`];
  const problems: string[] = [];
  if (expectedScript !== undefined && run.script !== expectedScript) problems.push(`${what}: runs script "${run.script}", expected "${expectedScript}"`);
  const body = scriptsOf(run.packageDir)[run.script];
  if (body === undefined) return [...problems, `${what}: no script "${run.script}" in ${path.join(run.packageDir, 'package.json')}`];
  for (const file of body.match(/[\w./-]+\.(?:ts|js|mjs)\b/g) ?? []) {
    if (!existsSync(path.join(ROOT, run.packageDir, file))) problems.push(`${what}: script "${run.script}" runs ${file}, which does not exist in ${run.packageDir}`);
  }
  return problems;
}

type Role = 'app' | 'worker';

/** The role of a Payrail service, from the npm script its command (or the image's CMD) runs. */
function roleOf(layout: Layout, service: Service): Role | null {
  const command = service.command !== undefined ? argv(service.command) : imageCmd(layout.dockerfile);
  const run = command ? npmScript(command) : null;
  if (run?.script === 'worker') return 'worker';
  if (run?.script === 'start') return 'app';
  return null;
}

interface Published {
  published?: number;
  target: number;
  protocol: string;
}

function expandRange(spec: string): number[] {
  const [from, to] = spec.split('-').map(Number);
  if (from === undefined || Number.isNaN(from)) return [NaN];
  if (to === undefined) return [from];
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function portMappings(service: Service): Published[] {
  const out: Published[] = [];
  for (const port of service.ports ?? []) {
    if (typeof port === 'number') {
      out.push({ target: port, protocol: 'tcp' });
    } else if (typeof port === 'string') {
      const [spec = '', protocol = 'tcp'] = port.split('/');
      const withoutIp = spec.replace(/^\[[^\]]*\]:/, '');
      const parts = withoutIp.split(':');
      const container = expandRange(parts[parts.length - 1]!);
      const host = parts.length >= 2 ? expandRange(parts[parts.length - 2]!) : [];
      container.forEach((target, i) => out.push({ target, protocol, ...(host.length ? { published: host[i] ?? NaN } : {}) }));
    } else {
      out.push({
        target: Number(port.target),
        protocol: port.protocol ?? 'tcp',
        ...(port.published !== undefined ? { published: Number(port.published) } : {}),
      });
    }
  }
  return out;
}

function dependsOn(service: Service): Record<string, string> {
  const deps = service.depends_on;
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d?.condition ?? 'service_started']));
}

function hasHealthcheck(layout: Layout, name: string): boolean {
  const service = layout.compose.services?.[name];
  if (!service || service.healthcheck?.disable === true) return false;
  const test = service.healthcheck?.test;
  if (test !== undefined) return !(Array.isArray(test) && test[0] === 'NONE');
  return payrailServices(layout).some(([n]) => n === name) && runtimeInstructions(layout.dockerfile, 'HEALTHCHECK').length > 0;
}

const imageName = (service: Service | undefined): string => (service?.image ?? '').split('@')[0]!.split(':')[0]!.split('/').pop()!;

// ---------------------------------------------------------------------------------------------------
// Configuration schema

/** The environment variable names loadConfig reads: from an exported zod object if there is one, else from the source. */
function configKeys(): string[] {
  for (const value of Object.values(configModule) as unknown[]) {
    const shape = (value as { shape?: unknown } | null)?.shape;
    if (shape && typeof shape === 'object' && 'DATABASE_URL' in shape) return Object.keys(shape);
  }
  const source = read('server/src/config/config.ts');
  const start = source.indexOf('z.object({');
  const end = source.indexOf('\n});', start);
  if (start < 0 || end < 0) throw new Error('cannot find the z.object({...}) schema in server/src/config/config.ts');
  return [...source.slice(start, end).matchAll(/^\s+([A-Z][A-Z0-9_]*)\s*:/gm)].map((m) => m[1]!);
}

/** The environment of a Payrail container: the runtime stage's ENV overlaid by the compose environment. */
function effectiveEnv(layout: Layout, service: Service): Record<string, string> {
  return { ...imageEnv(layout.dockerfile), ...composeEnvironment(service, layout.hostEnv) };
}

function configOf(layout: Layout, service: Service): Config {
  return loadConfig(effectiveEnv(layout, service) as NodeJS.ProcessEnv);
}

// ---------------------------------------------------------------------------------------------------
// Dockerfile model

function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  const stages: Dockerfile['stages'] = [];
  let pending = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (!full) continue;
    const keyword = full.split(/\s+/)[0] ?? '';
    const args = full.slice(keyword.length).trim();
    if (keyword.toUpperCase() === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+as\s+(\S+))?/i.exec(args);
      stages.push({ image: m?.[1] ?? '', ...(m?.[2] ? { name: m[2] } : {}) });
    }
    instructions.push({ keyword: keyword.toUpperCase(), args, stage: stages.length - 1 });
  }
  return { instructions, stages };
}

function runtimeInstructions(df: Dockerfile, keyword: string): Instruction[] {
  const last = df.stages.length - 1;
  return df.instructions.filter((i) => i.stage === last && i.keyword === keyword);
}

/** Splits `KEY=VALUE KEY2="a b"` (or the legacy `KEY VALUE`) of an ENV instruction. */
function envPairs(args: string): Array<[string, string]> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
    const [key = '', ...value] = args.split(/\s+/);
    return [[key, value.join(' ')]];
  }
  return [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|\S*)/g)].map((m) => [m[1]!, m[3] ?? m[4] ?? m[2]!]);
}

function imageEnv(df: Dockerfile): Record<string, string> {
  return Object.fromEntries(runtimeInstructions(df, 'ENV').flatMap((i) => envPairs(i.args)));
}

/** The exec-form JSON array of CMD, or of HEALTHCHECK's CMD; null for the shell form. */
function execForm(args: string): string[] | null {
  const json = args.replace(/^(?:--\S+\s+)*(?:CMD\s+)?/, '');
  if (!json.startsWith('[')) return null;
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
  } catch {
    return null;
  }
}

function imageCmd(df: Dockerfile): string[] | null {
  const cmd = runtimeInstructions(df, 'CMD').pop();
  return cmd ? execForm(cmd.args) : null;
}

function healthcheckArgv(df: Dockerfile): string[] | null {
  const hc = runtimeInstructions(df, 'HEALTHCHECK').pop();
  return hc ? execForm(hc.args) : null;
}

/** COPY/ADD sources (without --from) and destination. */
function copyArgs(instruction: Instruction): { from?: string; sources: string[]; dest: string } {
  const flags = [...instruction.args.matchAll(/--(\w+)=(\S+)/g)];
  const rest = instruction.args.replace(/^(?:--\S+\s+)*/, '');
  const parts = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
  const from = flags.find((f) => f[1] === 'from')?.[2];
  return { ...(from ? { from } : {}), sources: parts.slice(0, -1), dest: parts[parts.length - 1] ?? '' };
}

// ---------------------------------------------------------------------------------------------------
// .dockerignore model (the subset of Go filepath.Match + ** that matters here)

function parseDockerignore(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Whether the build context leaves out `rel` (or a folder containing it). */
function isIgnored(patterns: string[], rel: string): boolean {
  const clean = (p: string) => path.posix.normalize(p.replace(/^\.?\//, '')).replace(/\/+$/, '');
  const parts = clean(rel).split('/');
  for (let n = 1; n <= parts.length; n++) {
    const prefix = parts.slice(0, n).join('/');
    let ignored = false;
    for (const pattern of patterns) {
      const negated = pattern.startsWith('!');
      if (globToRegExp(clean(negated ? pattern.slice(1) : pattern)).test(prefix)) ignored = !negated;
    }
    if (ignored) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Checks: each returns the problems it finds (empty: fine)

function checkTopLevel(layout: Layout): string[] {
  const allowed = new Set(['services', 'volumes', 'networks', 'configs', 'secrets', 'name', 'include', 'models']);
  const problems: string[] = [];
  if ('version' in layout.compose) problems.push('top-level "version" is obsolete');
  for (const key of Object.keys(layout.compose)) {
    if (!allowed.has(key) && key !== 'version' && !key.startsWith('x-')) problems.push(`unknown top-level key "${key}"`);
  }
  if (services(layout).length === 0) problems.push('no services');
  return problems;
}

function checkImageOrBuild(layout: Layout): string[] {
  return services(layout)
    .filter(([, s]) => s.image === undefined && s.build === undefined)
    .map(([name]) => `${name}: neither image nor build`);
}

function checkBuildContexts(layout: Layout): string[] {
  const problems: string[] = [];
  for (const [name, service] of services(layout)) {
    const build = buildContext(service);
    if (!build) continue;
    const dir = path.resolve(ROOT, build.context);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) problems.push(`${name}: build context ${build.context} is not a folder`);
    else if (!existsSync(path.join(dir, build.dockerfile))) problems.push(`${name}: no ${build.dockerfile} in build context ${build.context}`);
  }
  return problems;
}

function checkRoles(layout: Layout): string[] {
  const problems: string[] = [];
  const payrail = payrailServices(layout);
  for (const [name, service] of payrail) {
    const command = service.command !== undefined ? argv(service.command) : imageCmd(layout.dockerfile);
    if (!command) {
      problems.push(`${name}: no command and no exec-form CMD in the Dockerfile`);
      continue;
    }
    problems.push(...checkNpmCommand(`${name} command`, command));
    if (roleOf(layout, service) === null) problems.push(`${name}: runs neither the "start" nor the "worker" script: ${command.join(' ')}`);
  }
  const apps = payrail.filter(([, s]) => roleOf(layout, s) === 'app');
  const workers = payrail.filter(([, s]) => roleOf(layout, s) === 'worker');
  if (apps.length < 2) problems.push(`scale-out layout needs at least two app replicas, found ${apps.length}`);
  if (workers.length < 1) problems.push('no worker service (command running the "worker" script)');
  return problems;
}

function checkRequiredEnv(layout: Layout): string[] {
  const problems: string[] = [];
  for (const [name, service] of payrailServices(layout)) {
    let env: Record<string, string>;
    try {
      env = composeEnvironment(service, layout.hostEnv);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      continue;
    }
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'SECRET_KEY']) {
      if (!env[key]) problems.push(`${name}: ${key} is not set`);
    }
  }
  return problems;
}

function checkEnvNames(layout: Layout, known: string[]): string[] {
  const problems: string[] = [];
  for (const [name, service] of payrailServices(layout)) {
    for (const [key, value] of Object.entries(rawEnvironment(service))) {
      if (!known.includes(key)) problems.push(`${name}: ${key} is not read by loadConfig`);
      if (typeof value === 'boolean') problems.push(`${name}: ${key} is a YAML boolean; quote it`);
    }
  }
  return problems;
}

function checkConfigLoads(layout: Layout): string[] {
  const problems: string[] = [];
  for (const [name, service] of payrailServices(layout)) {
    try {
      const config = configOf(layout, service);
      if (config.NODE_ENV !== 'production') problems.push(`${name}: NODE_ENV is ${config.NODE_ENV}, not production`);
    } catch (error) {
      problems.push(`${name}: loadConfig throws: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** The secret must come from the operator (no default), and replicas and workers must agree on the shared settings. */
function checkSharedSettings(layout: Layout): string[] {
  const problems: string[] = [];
  const payrail = payrailServices(layout);
  for (const [name, service] of payrail) {
    const raw = rawEnvironment(service).SECRET_KEY;
    if (typeof raw !== 'string') continue;
    const withoutSecret = Object.fromEntries(Object.entries(layout.hostEnv).filter(([k]) => !raw.includes(k)));
    try {
      interpolate(raw, withoutSecret);
      problems.push(`${name}: SECRET_KEY has a value even when the operator sets none (use \${VAR:?message})`);
    } catch {
      // required: good
    }
  }
  for (const key of ['SECRET_KEY', 'DATABASE_URL', 'REDIS_URL']) {
    const values = new Set(payrail.map(([, s]) => composeEnvironment(s, layout.hostEnv)[key]));
    if (values.size > 1) problems.push(`app and worker services disagree on ${key}`);
  }
  return problems;
}

function checkBackingUrls(layout: Layout): string[] {
  const problems: string[] = [];
  const all = layout.compose.services ?? {};
  for (const [name, service] of payrailServices(layout)) {
    const env = composeEnvironment(service, layout.hostEnv);
    const deps = dependsOn(service);
    for (const [key, kind, protocols] of [
      ['DATABASE_URL', 'postgres', ['postgres:', 'postgresql:']],
      ['REDIS_URL', 'redis', ['redis:', 'rediss:']],
    ] as const) {
      if (!env[key]) continue;
      let url: URL;
      try {
        url = new URL(env[key]);
      } catch {
        problems.push(`${name}: ${key} is not a URL`);
        continue;
      }
      if (!(protocols as readonly string[]).includes(url.protocol)) problems.push(`${name}: ${key} has scheme ${url.protocol}`);
      const target = all[url.hostname];
      if (!target) {
        problems.push(`${name}: ${key} host "${url.hostname}" is not a service`);
        continue;
      }
      if (imageName(target) !== kind) problems.push(`${name}: ${key} host "${url.hostname}" runs ${target.image ?? 'a built image'}, not ${kind}`);
      const port = url.port === '' ? STANDARD_PORTS[kind] : Number(url.port);
      if (port !== STANDARD_PORTS[kind]) problems.push(`${name}: ${key} port ${port} is not ${kind}'s ${STANDARD_PORTS[kind]}`);
      if (deps[url.hostname] !== 'service_healthy') problems.push(`${name}: does not wait for ${url.hostname} to be healthy`);
      if (kind === 'postgres') {
        const pg = composeEnvironment(target, layout.hostEnv);
        const user = pg.POSTGRES_USER ?? 'postgres';
        const database = pg.POSTGRES_DB ?? user;
        if (decodeURIComponent(url.username) !== user) problems.push(`${name}: DATABASE_URL user is not POSTGRES_USER (${user})`);
        if (decodeURIComponent(url.password) !== (pg.POSTGRES_PASSWORD ?? '')) problems.push(`${name}: DATABASE_URL password is not POSTGRES_PASSWORD`);
        if (decodeURIComponent(url.pathname.slice(1)) !== database) problems.push(`${name}: DATABASE_URL database is not POSTGRES_DB (${database})`);
      }
    }
  }
  return problems;
}

function checkDependsOn(layout: Layout): string[] {
  const problems: string[] = [];
  for (const [name, service] of services(layout)) {
    for (const [target, condition] of Object.entries(dependsOn(service))) {
      if (!layout.compose.services?.[target]) problems.push(`${name}: depends on undefined service "${target}"`);
      else if (condition === 'service_healthy' && !hasHealthcheck(layout, target)) problems.push(`${name}: waits for ${target} to be healthy, but ${target} has no healthcheck`);
    }
  }
  return problems;
}

function checkBackingHealthchecks(layout: Layout): string[] {
  const problems: string[] = [];
  for (const [name, service] of services(layout)) {
    const test = [service.healthcheck?.test ?? []].flat().join(' ');
    if (imageName(service) === 'postgres' && !test.includes('pg_isready')) problems.push(`${name}: healthcheck does not use pg_isready`);
    if (imageName(service) === 'redis' && !test.includes('redis-cli')) problems.push(`${name}: healthcheck does not use redis-cli`);
  }
  return problems;
}

function checkPublishedPorts(layout: Layout): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [name, service] of services(layout)) {
    for (const mapping of portMappings(service)) {
      if (Number.isNaN(mapping.target) || (mapping.published !== undefined && Number.isNaN(mapping.published))) {
        problems.push(`${name}: unreadable port mapping`);
        continue;
      }
      if (mapping.published === undefined) continue;
      const key = `${mapping.published}/${mapping.protocol}`;
      const other = seen.get(key);
      if (other) problems.push(`${name}: host port ${key} is already published by ${other}`);
      else seen.set(key, name);
    }
  }
  return problems;
}

function checkAppPorts(layout: Layout): string[] {
  const problems: string[] = [];
  for (const [name, service] of payrailServices(layout)) {
    const role = roleOf(layout, service);
    const mappings = portMappings(service);
    if (role === 'worker') {
      if (mappings.length) problems.push(`${name}: a worker serves no HTTP; it publishes ports`);
      continue;
    }
    let port = DEFAULT_PORT;
    try {
      port = configOf(layout, service).PORT;
    } catch {
      // reported by checkConfigLoads
    }
    try {
      const host = configOf(layout, service).HOST;
      if (host !== '0.0.0.0' && host !== '::') problems.push(`${name}: listens on ${host} only; its published port reaches nothing (set HOST=0.0.0.0)`);
    } catch {
      // reported by checkConfigLoads
    }
    if (!mappings.some((m) => m.published !== undefined)) problems.push(`${name}: publishes no port`);
    for (const m of mappings) {
      if (m.target !== port) problems.push(`${name}: container port ${m.target} is not the PORT it listens on (${port})`);
    }
  }
  return problems;
}

function checkWorkers(layout: Layout): string[] {
  const problems: string[] = [];
  const payrail = payrailServices(layout);
  const workers = payrail.filter(([, s]) => roleOf(layout, s) === 'worker');
  for (const [name, service] of workers) {
    problems.push(...checkNpmCommand(`${name} command`, argv(service.command ?? imageCmd(layout.dockerfile) ?? []), 'worker'));
    if (service.healthcheck?.disable !== true && service.healthcheck?.test === undefined && runtimeInstructions(layout.dockerfile, 'HEALTHCHECK').length) {
      problems.push(`${name}: inherits the image's HTTP healthcheck, but a worker serves no HTTP`);
    }
  }
  for (const [name, service] of payrail.filter(([, s]) => roleOf(layout, s) === 'app')) {
    try {
      if (workers.length && configOf(layout, service).RUN_WORKER) problems.push(`${name}: RUN_WORKER must be false when a worker service runs the jobs`);
    } catch {
      // reported by checkConfigLoads
    }
  }
  return problems;
}

function checkVolumes(layout: Layout): string[] {
  const problems: string[] = [];
  const declared = new Set(Object.keys(layout.compose.volumes ?? {}));
  for (const [name, service] of services(layout)) {
    const mounts = (service.volumes ?? []).map((v) => {
      if (typeof v !== 'string') return { source: v.source ?? '', target: v.target ?? '', named: (v.type ?? 'volume') === 'volume' && !!v.source };
      const [source = '', target = ''] = v.split(':');
      return { source, target, named: !/^[./~$]/.test(source) };
    });
    for (const m of mounts) if (m.named && !declared.has(m.source)) problems.push(`${name}: volume "${m.source}" is not declared under top-level volumes`);
    if (imageName(service) === 'postgres') {
      const major = Number(/:(\d+)/.exec(service.image ?? '')?.[1] ?? NaN);
      const dataDir = major >= 18 || Number.isNaN(major) ? '/var/lib/postgresql' : '/var/lib/postgresql/data';
      const pgdata = composeEnvironment(service, layout.hostEnv).PGDATA;
      const persisted = mounts.some((m) => m.target === dataDir || (pgdata !== undefined && pgdata.startsWith(m.target)));
      if (!persisted) problems.push(`${name}: no volume at ${dataDir} (${service.image ?? 'postgres'} keeps its data there)`);
    }
  }
  return problems;
}

function checkDockerfileBuild(layout: Layout): string[] {
  const problems: string[] = [];
  const { instructions, stages } = layout.dockerfile;
  if (stages.length < 2) problems.push('Dockerfile is not multi-stage');
  const stageNames = new Set(stages.map((s) => s.name).filter(Boolean));
  for (const stage of stages) {
    if (!stageNames.has(stage.image) && stage.image !== 'node:24-bookworm-slim') problems.push(`stage FROM ${stage.image}, expected node:24-bookworm-slim`);
  }
  const ci = instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
  if (ci < 0) return [...problems, 'no RUN npm ci'];
  const copies = instructions.map((i, index) => ({ i, index })).filter(({ i }) => (i.keyword === 'COPY' || i.keyword === 'ADD') && i.stage === instructions[ci]!.stage);
  const before = copies.filter(({ index }) => index < ci).flatMap(({ i }) => copyArgs(i).sources);
  const covers = (file: string) => before.some((src) => src === '.' || file === path.posix.normalize(src) || file.startsWith(`${path.posix.normalize(src).replace(/\/$/, '')}/`));
  if (before.includes('.')) problems.push('the whole context is copied before npm ci (no layer caching)');
  const workspaces = (JSON.parse(read('package.json')) as { workspaces?: string[] }).workspaces ?? [];
  const schema = /schema:\s*['"]([^'"]+)['"]/.exec(read('prisma.config.ts'))?.[1];
  if (!schema) problems.push('cannot read the schema path of prisma.config.ts');
  const needed = ['package.json', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`), 'prisma.config.ts', ...(schema ? [schema] : [])];
  for (const file of needed) if (!covers(file)) problems.push(`${file} is not copied before npm ci (postinstall and layer caching need it)`);
  const copyAll = copies.findIndex(({ i, index }) => index > ci && copyArgs(i).sources.includes('.'));
  if (copyAll < 0) problems.push('the sources are not copied (COPY . .) after npm ci');
  const webBuild = instructions.findIndex((i) => i.keyword === 'RUN' && /npm run build (?:--workspace[= ]|-w )web\b/.test(i.args));
  if (webBuild < 0 || (copyAll >= 0 && webBuild < copies[copyAll]!.index)) problems.push('the web is not built (npm run build --workspace web) after the sources are copied');
  for (const instruction of instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
    const { from, sources } = copyArgs(instruction);
    if (from !== undefined) {
      if (!stageNames.has(from)) problems.push(`COPY --from=${from}: no such stage`);
      continue;
    }
    for (const source of sources) {
      if (!existsSync(path.join(ROOT, source))) problems.push(`COPY ${source}: not in the repository`);
      else if (source !== '.' && isIgnored(layout.dockerignore, source)) problems.push(`COPY ${source}: excluded by .dockerignore`);
    }
  }
  return problems;
}

function checkDockerfileRuntime(layout: Layout): string[] {
  const problems: string[] = [];
  const df = layout.dockerfile;
  const user = runtimeInstructions(df, 'USER').pop()?.args;
  if (!user || /^(root|0)(:|$)/.test(user)) problems.push(`runtime stage runs as ${user ?? 'root (no USER)'}`);
  const env = imageEnv(df);
  if (env.NODE_ENV !== 'production') problems.push('runtime stage does not set NODE_ENV=production');
  const port = Number(env.PORT ?? DEFAULT_PORT);
  const exposed = runtimeInstructions(df, 'EXPOSE').flatMap((i) => i.args.split(/\s+/).map((p) => Number(p.split('/')[0])));
  if (!exposed.includes(port)) problems.push(`runtime stage does not EXPOSE ${port}`);
  const hc = healthcheckArgv(df);
  if (!hc) problems.push('no exec-form HEALTHCHECK CMD');
  else {
    if (hc[0] !== 'node') problems.push(`HEALTHCHECK runs ${hc[0]}, not node`);
    if (!hc.join(' ').includes('/healthz')) problems.push('HEALTHCHECK does not probe /healthz');
    if (/\b(curl|wget)\b/.test(hc.join(' '))) problems.push('HEALTHCHECK uses curl/wget, absent from slim images');
  }
  const cmd = imageCmd(df);
  if (!cmd) problems.push('no exec-form CMD');
  else problems.push(...checkNpmCommand('Dockerfile CMD', cmd, 'start'));
  if (cmd && npmScript(cmd)?.packageDir !== 'server') problems.push('Dockerfile CMD does not run a script of the server workspace');
  return problems;
}

function checkDockerignore(layout: Layout): string[] {
  const problems: string[] = [];
  for (const excluded of ['node_modules', 'server/node_modules', 'web/node_modules', 'web/dist', '.payrail', '.git', 'test-results', 'screenshots']) {
    if (!isIgnored(layout.dockerignore, excluded)) problems.push(`.dockerignore lets ${excluded} into the build context`);
  }
  for (const kept of ['package.json', 'package-lock.json', 'prisma.config.ts', 'prisma/schema.prisma', 'prisma/migrations', 'server/src/main.ts', 'server/src/worker-main.ts', 'server/package.json', 'web/package.json', 'web/src', 'tsconfig.json']) {
    if (isIgnored(layout.dockerignore, kept)) problems.push(`.dockerignore excludes ${kept}, which the image needs`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------

const layout = loadLayout();
const knownKeys = configKeys();

describe('docker-compose.yml, Dockerfile and .dockerignore', () => {
  it('reads the configuration keys from server/src/config/config.ts', () => {
    expect(knownKeys).toEqual(expect.arrayContaining(['NODE_ENV', 'PORT', 'DATABASE_URL', 'REDIS_URL', 'SECRET_KEY', 'RUN_WORKER']));
  });

  it('has no obsolete version key nor unknown top-level keys', () => expect(checkTopLevel(layout)).toEqual([]));
  it('gives every service an image or a build', () => expect(checkImageOrBuild(layout)).toEqual([]));
  it('builds from folders that hold the Dockerfile', () => expect(checkBuildContexts(layout)).toEqual([]));
  it('runs existing npm scripts: two or more app replicas and a worker', () => expect(checkRoles(layout)).toEqual([]));
  it('gives every app and worker DATABASE_URL, REDIS_URL and SECRET_KEY', () => expect(checkRequiredEnv(layout)).toEqual([]));
  it('sets only variables loadConfig reads', () => expect(checkEnvNames(layout, knownKeys)).toEqual([]));
  it('passes loadConfig in production for every app and worker', () => expect(checkConfigLoads(layout)).toEqual([]));
  it('requires the secret from the operator and shares settings across replicas and workers', () => expect(checkSharedSettings(layout)).toEqual([]));
  it('points DATABASE_URL and REDIS_URL at the postgres and redis services', () => expect(checkBackingUrls(layout)).toEqual([]));
  it('depends only on defined services, healthy ones having a healthcheck', () => expect(checkDependsOn(layout)).toEqual([]));
  it('checks postgres with pg_isready and redis with redis-cli', () => expect(checkBackingHealthchecks(layout)).toEqual([]));
  it('publishes each host port once', () => expect(checkPublishedPorts(layout)).toEqual([]));
  it('maps app container ports to the PORT the server listens on, on every interface', () => expect(checkAppPorts(layout)).toEqual([]));
  it('runs the worker script in workers, and RUN_WORKER=false in the replicas', () => expect(checkWorkers(layout)).toEqual([]));
  it('declares named volumes and mounts the postgres data folder', () => expect(checkVolumes(layout)).toEqual([]));
  it('builds in stages with manifests first, npm ci, then the web', () => expect(checkDockerfileBuild(layout)).toEqual([]));
  it('runs unprivileged in production with a node healthcheck and the server start script', () => expect(checkDockerfileRuntime(layout)).toEqual([]));
  it('keeps local state out of the build context and the sources in', () => expect(checkDockerignore(layout)).toEqual([]));

  it('has a HEALTHCHECK that passes on 200 from /healthz and fails otherwise', async () => {
    const hc = healthcheckArgv(layout.dockerfile);
    expect(hc?.[0]).toBe('node');
    const probe = (port: number) =>
      new Promise<number>((resolve) => {
        const child = execFile(process.execPath, hc!.slice(1), { env: { ...process.env, PORT: String(port) }, timeout: 10_000 });
        child.on('exit', (code) => resolve(code ?? -1));
      });
    const serve = (status: number) =>
      new Promise<Server>((resolve) => {
        const server = createServer((req, res) => {
          res.statusCode = req.url === '/healthz' ? status : 404;
          res.end();
        });
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    const up = await serve(200);
    const sick = await serve(503);
    const upPort = (up.address() as AddressInfo).port;
    try {
      expect(await probe(upPort)).toBe(0);
      expect(await probe((sick.address() as AddressInfo).port)).not.toBe(0);
    } finally {
      sick.close();
      await new Promise((resolve) => up.close(resolve));
    }
    expect(await probe(upPort)).not.toBe(0); // nothing listens any more
  });
});

// ---------------------------------------------------------------------------------------------------
// The checks above must be able to fail: break a copy of the real files and expect a problem.

describe('the checks catch broken layouts', () => {
  const composeText = read('docker-compose.yml');
  const dockerfileText = read('Dockerfile');

  /** A copy of the real layout with `edit` applied to the parsed compose document. */
  const broken = (edit: (compose: Compose, svc: Record<string, Service>) => void, hostEnv?: Record<string, string>): Layout => {
    const copy = loadLayout(hostEnv ? { hostEnv } : {});
    edit(copy.compose, copy.compose.services!);
    return copy;
  };
  const env = (service: Service | undefined): Record<string, EnvValue> => service!.environment as Record<string, EnvValue>;
  const swapText = (text: string, from: string | RegExp, to: string): string => {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`mutation found nothing to replace: ${String(from)}`);
    return next;
  };

  it('a version key', () => expect(checkTopLevel(broken((c) => (c.version = '3.9')))).toEqual([expect.stringContaining('version')]));
  it('a service without image or build', () => {
    expect(checkImageOrBuild(broken((_, s) => delete s.redis!.image))).toEqual([expect.stringContaining('redis')]);
  });
  it('a build context without a Dockerfile', () => {
    expect(checkBuildContexts(broken((_, s) => (s.app1!.build = 'server')))).toEqual([expect.stringContaining('no Dockerfile')]);
    expect(checkBuildContexts(broken((_, s) => (s.app1!.build = 'nowhere')))).toEqual([expect.stringContaining('not a folder')]);
  });
  it('a worker command running an unknown script', () => {
    const problems = checkRoles(broken((_, s) => (s.worker!.command = ['npm', 'run', 'wroker', '--workspace', 'server'])));
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('no script "wroker"'), expect.stringContaining('no worker service')]));
  });
  it('a worker command that is not npm run', () => {
    expect(checkRoles(broken((_, s) => (s.worker!.command = 'node src/worker-main.ts')))).not.toEqual([]);
  });
  it('a single app replica', () => {
    expect(checkRoles(broken((_, s) => delete s.app2))).toEqual([expect.stringContaining('two app replicas')]);
  });
  it('a missing DATABASE_URL, REDIS_URL or SECRET_KEY', () => {
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'SECRET_KEY']) {
      expect(checkRequiredEnv(broken((_, s) => delete env(s.worker)[key]))).toEqual([`worker: ${key} is not set`]);
    }
  });
  it('a misspelt variable, and an unquoted boolean', () => {
    expect(checkEnvNames(broken((_, s) => (env(s.app1).REDIS_URI = 'redis://redis:6379')), knownKeys)).toEqual(['app1: REDIS_URI is not read by loadConfig']);
    expect(checkEnvNames(broken((_, s) => (env(s.app1).RUN_WORKER = false)), knownKeys)).toEqual([expect.stringContaining('YAML boolean')]);
  });
  it('values loadConfig rejects, and a development NODE_ENV', () => {
    expect(checkConfigLoads(broken((_, s) => (env(s.app1).PUBLIC_URL = 'not a url')))).toEqual([expect.stringContaining('loadConfig throws')]);
    expect(checkConfigLoads(broken((_, s) => (env(s.app2).LOG_LEVEL = 'verbose')))).toEqual([expect.stringContaining('loadConfig throws')]);
    expect(checkConfigLoads(broken((_, s) => (env(s.worker).NODE_ENV = 'development')))).toEqual([expect.stringContaining('not production')]);
  });
  it('a secret with a default, or replicas that disagree', () => {
    expect(checkSharedSettings(broken((_, s) => (env(s.app1).SECRET_KEY = '${PAYRAIL_SECRET_KEY:-' + 'b2'.repeat(32) + '}')))).toEqual([
      expect.stringContaining('app1: SECRET_KEY has a value'),
    ]);
    expect(checkSharedSettings(broken((_, s) => (env(s.app2).SECRET_KEY = '${PAYRAIL_SECRET_KEY_2:?set it}'), { ...HOST_ENV, PAYRAIL_SECRET_KEY_2: 'b2'.repeat(32) }))).toEqual([
      expect.stringContaining('disagree on SECRET_KEY'),
    ]);
    expect(checkSharedSettings(broken((_, s) => (env(s.worker).REDIS_URL = 'redis://redis:6379/1')))).toEqual([expect.stringContaining('disagree on REDIS_URL')]);
    expect(checkRequiredEnv(broken(() => {}, {}))).toEqual(expect.arrayContaining([expect.stringContaining('required variable PAYRAIL_SECRET_KEY')]));
  });
  it('URLs to an undefined host, a wrong port, the wrong service or wrong credentials', () => {
    const url = (value: string) => broken((_, s) => (env(s.app1).DATABASE_URL = value));
    expect(checkBackingUrls(url('postgresql://payrail:payrail@db:5432/payrail'))).toEqual([expect.stringContaining('"db" is not a service')]);
    expect(checkBackingUrls(url('postgresql://payrail:payrail@postgres:5433/payrail'))).toEqual([expect.stringContaining('port 5433')]);
    expect(checkBackingUrls(url('postgresql://payrail:payrail@redis:6379/payrail'))).toEqual(
      expect.arrayContaining([expect.stringContaining('not postgres'), expect.stringContaining('port 6379')]),
    );
    expect(checkBackingUrls(url('postgresql://payrail:wrong@postgres:5432/payrail'))).toEqual([expect.stringContaining('POSTGRES_PASSWORD')]);
    expect(checkBackingUrls(url('postgresql://payrail:payrail@postgres:5432/other'))).toEqual([expect.stringContaining('POSTGRES_DB')]);
    expect(checkBackingUrls(broken((_, s) => (env(s.worker).REDIS_URL = 'redis://redis:6380')))).toEqual([expect.stringContaining('port 6380')]);
    expect(checkBackingUrls(broken((_, s) => (env(s.worker).REDIS_URL = 'redis://cache:6379')))).toEqual([expect.stringContaining('"cache" is not a service')]);
  });
  it('an app that does not wait for its database', () => {
    expect(checkBackingUrls(broken((_, s) => (s.app2!.depends_on = { redis: { condition: 'service_healthy' } })))).toEqual(['app2: does not wait for postgres to be healthy']);
  });
  it('depends_on an undefined service, or on a healthy service without healthcheck', () => {
    expect(checkDependsOn(broken((_, s) => ((s.app1!.depends_on as Record<string, object>).pgbouncer = { condition: 'service_started' })))).toEqual([
      expect.stringContaining('undefined service "pgbouncer"'),
    ]);
    const noHealthcheck = checkDependsOn(broken((_, s) => delete s.redis!.healthcheck));
    expect(noHealthcheck).toEqual(expect.arrayContaining([expect.stringContaining('redis has no healthcheck')]));
    expect(noHealthcheck).toHaveLength(3);
  });
  it('backing healthchecks that do not probe the service', () => {
    expect(checkBackingHealthchecks(broken((_, s) => (s.postgres!.healthcheck = { test: ['CMD', 'true'] })))).toEqual([expect.stringContaining('pg_isready')]);
  });
  it('a host port published twice', () => {
    expect(checkPublishedPorts(broken((_, s) => (s.app2!.ports = ['4001:4000'])))).toEqual([expect.stringContaining('4001/tcp is already published by app1')]);
    expect(checkPublishedPorts(broken((_, s) => (s.redis!.ports = [{ target: 6379, published: '4002' }])))).toEqual([expect.stringContaining('4002/tcp')]);
  });
  it('an app container port other than the PORT it listens on', () => {
    expect(checkAppPorts(broken((_, s) => (s.app1!.ports = ['4001:3000'])))).toEqual([expect.stringContaining('container port 3000')]);
    expect(checkAppPorts(broken((_, s) => (env(s.app2).PORT = '5000')))).toEqual([expect.stringContaining('(5000)')]);
    expect(checkAppPorts(broken((_, s) => (s.worker!.ports = ['4003:4000'])))).toEqual([expect.stringContaining('worker')]);
    expect(checkAppPorts(broken((_, s) => (env(s.app1).HOST = '127.0.0.1')))).toEqual([expect.stringContaining('app1: listens on 127.0.0.1 only')]);
    const loopbackImage = loadLayout({ dockerfile: swapText(dockerfileText, /^\s*HOST=0\.0\.0\.0 \\\n/m, '') });
    expect(checkAppPorts(loopbackImage)).toEqual([expect.stringContaining('app1: listens on 127.0.0.1'), expect.stringContaining('app2: listens on 127.0.0.1')]);
  });
  it('a worker with the HTTP healthcheck, or replicas that also run the jobs', () => {
    expect(checkWorkers(broken((_, s) => delete s.worker!.healthcheck))).toEqual([expect.stringContaining('inherits the image')]);
    expect(checkWorkers(broken((_, s) => (env(s.app1).RUN_WORKER = 'true')))).toEqual([expect.stringContaining('app1: RUN_WORKER')]);
  });
  it('an undeclared volume, or postgres 18 data mounted at the old path', () => {
    expect(checkVolumes(broken((c) => delete c.volumes))).toEqual([expect.stringContaining('not declared')]);
    expect(checkVolumes(broken((_, s) => (s.postgres!.volumes = ['postgres-data:/var/lib/postgresql/data'])))).toEqual([expect.stringContaining('/var/lib/postgresql')]);
  });
  it('a Dockerfile whose CMD or base image or layer order is wrong', () => {
    const df = (from: string | RegExp, to: string) => loadLayout({ dockerfile: swapText(dockerfileText, from, to) });
    expect(checkDockerfileRuntime(df('"run", "start"', '"run", "serve"'))).toEqual([expect.stringContaining('expected "start"'), expect.stringContaining('no script "serve"')]);
    expect(checkDockerfileRuntime(df('"--workspace", "server"]', '"--workspace", "web"]'))).toEqual([
      expect.stringContaining('no script "start" in web/package.json'),
      expect.stringContaining('server workspace'),
    ]);
    expect(checkDockerfileRuntime(df('USER 1000:1000', 'USER root'))).toEqual([expect.stringContaining('runs as root')]);
    expect(checkDockerfileRuntime(df('ENV NODE_ENV=production', 'ENV NODE_ENV=development'))).toEqual([expect.stringContaining('NODE_ENV')]);
    expect(checkDockerfileRuntime(df('EXPOSE 4000', 'EXPOSE 3000'))).toEqual([expect.stringContaining('EXPOSE 4000')]);
    expect(checkDockerfileRuntime(df(/CMD \["node", "-e".*\]/, 'CMD ["curl", "-f", "http://127.0.0.1:4000/healthz"]'))).toEqual(
      expect.arrayContaining([expect.stringContaining('not node'), expect.stringContaining('curl')]),
    );
    expect(checkDockerfileBuild(df('FROM node:24-bookworm-slim AS runtime', 'FROM node:22-alpine AS runtime'))).toEqual([expect.stringContaining('node:22-alpine')]);
    expect(checkDockerfileBuild(df('COPY web/package.json web/\n', ''))).toEqual([expect.stringContaining('web/package.json is not copied before npm ci')]);
    expect(checkDockerfileBuild(df('COPY prisma/schema.prisma prisma/\n', ''))).toEqual([expect.stringContaining('prisma/schema.prisma')]);
    expect(checkDockerfileBuild(df('COPY --from=build /app ./', 'COPY --from=builder /app ./'))).toEqual([expect.stringContaining('no such stage')]);
    expect(checkDockerfileBuild(df('RUN npm run build --workspace web', 'RUN npm run build --workspace server'))).toEqual([expect.stringContaining('web is not built')]);
  });
  it('a .dockerignore that keeps out what a COPY needs, or lets local state in', () => {
    const ignoring = (extra: string) => loadLayout({ dockerignore: `${read('.dockerignore')}\n${extra}\n` });
    expect(checkDockerfileBuild(ignoring('prisma'))).toEqual([expect.stringContaining('COPY prisma/schema.prisma: excluded')]);
    expect(checkDockerignore(ignoring('**/*.ts'))).toEqual(expect.arrayContaining([expect.stringContaining('server/src/main.ts')]));
    expect(checkDockerignore(loadLayout({ dockerignore: swapText(read('.dockerignore'), '**/node_modules\n', '') }))).toEqual(
      expect.arrayContaining([expect.stringContaining('lets node_modules'), expect.stringContaining('lets server/node_modules')]),
    );
    expect(checkDockerignore(ignoring('!web/dist'))).toEqual([expect.stringContaining('web/dist')]);
  });
  it('compose YAML whose merge keys are not resolved would lose the shared settings', () => {
    const unmerged = parse(composeText) as Compose;
    expect(unmerged.services?.app1?.environment).toBeUndefined();
    expect(loadLayout().compose.services?.app1?.environment).toBeDefined();
  });
});
