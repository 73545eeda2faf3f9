// `npm start`, `npm test` and the other long-running root scripts go through here: it runs the given npm
// script on a Node.js that Payrail supports (the root package.json's `engines.node`). When the Node.js
// that started npm is older (a newcomer's machine with Node 20, say), it takes the current LTS from the
// npm registry's `node` package — the same registry `npm ci` used, no other download — keeps it in the
// user's cache and runs the script on it, saying so. PAYRAIL_NODE_PROVISION=0 refuses instead.
// Plain JavaScript for any Node a newcomer may have.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The LTS line taken from the registry when this Node.js is too old. */
const PROVISIONED_LINE = '24';

const script = process.argv[2];
if (!script) {
  console.error('usage: node server/scripts/with-node.mjs <npm script> [args…]');
  process.exit(2);
}
const root = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const range = root.engines.node; // e.g. "^22.18.0 || >=24"

const parse = (v) => v.replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10) || 0);
const compare = (a, b) => a[0] - b[0] || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0);

function supported(version) {
  const current = parse(version);
  return range.split('||').some((part) => {
    const m = /^(\^|>=)\s*v?([\d.]+)$/.exec(part.trim());
    if (!m) throw new Error(`with-node: cannot read "${part}" of engines.node "${range}"`);
    const floor = parse(m[2]);
    return compare(current, floor) >= 0 && (m[1] === '>=' || current[0] === floor[0]);
  });
}

function refuse(reason) {
  console.error(
    [
      '',
      `Payrail needs Node.js ${range}; this is Node.js ${process.versions.node}. ${reason}`,
      'Install a current LTS from https://nodejs.org (or with your version manager: nvm install 24), or take one from',
      'the npm registry: npm install --prefix ~/.payrail-node node@24 && export PATH="$HOME/.payrail-node/node_modules/node/bin:$PATH"',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

/** The bin directory of a supported Node.js: this one's, or the provisioned LTS's. */
function supportedNodeBin() {
  if (supported(process.versions.node)) return null;
  if (process.env.PAYRAIL_NODE_PROVISION === '0') refuse('(PAYRAIL_NODE_PROVISION=0: not taking one from the registry.)');
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'payrail', `node-${PROVISIONED_LINE}`);
  const bin = join(cache, 'node_modules', 'node', 'bin');
  const binary = join(bin, process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(binary)) {
    console.error(`Node.js ${process.versions.node} is older than Payrail supports (${range}); fetching Node.js ${PROVISIONED_LINE} (LTS) from the npm registry into ${cache} — once.`);
    mkdirSync(cache, { recursive: true });
    try {
      execFileSync(process.execPath, [npmCli(), 'install', '--prefix', cache, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `node@${PROVISIONED_LINE}`], { stdio: 'inherit' });
    } catch {
      refuse('Taking Node.js from the npm registry failed.');
    }
  }
  const version = existsSync(binary) ? execFileSync(binary, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim() : '';
  if (!version || !supported(version)) refuse(`The registry's node@${PROVISIONED_LINE} (${version || 'no binary'}) does not fit either.`);
  console.error(`Node.js ${process.versions.node} is older than Payrail supports: running "${script}" on Node.js ${version} from ${cache}.`);
  return bin;
}

function npmCli() {
  const cli = process.env.npm_execpath;
  if (cli && existsSync(cli)) return cli;
  return join(process.execPath, '..', '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
}

/**
 * A script that is a single plain `node <args>` command (`start:app`) runs straight on the chosen
 * Node.js: a second npm would cost its own start (0.3–0.7 s) and about 70 MB for as long as the server
 * runs, and add nothing the command uses. Anything else (&&, quotes, variables, other programs) goes
 * through `npm run` as before.
 */
function directNodeArgs() {
  const body = root.scripts?.[script];
  const m = typeof body === 'string' ? /^node((?:\s+[\w@%+=:,./-]+)+)$/.exec(body.trim()) : null;
  return m ? m[1].trim().split(/\s+/) : null;
}

const bin = supportedNodeBin();
const node = bin ? join(bin, 'node') : process.execPath;
const env = bin ? { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` } : process.env;
const direct = directNodeArgs();
const child = direct
  ? spawn(node, [...direct, ...process.argv.slice(3)], { stdio: 'inherit', env, cwd: fileURLToPath(new URL('../../', import.meta.url)) })
  : spawn(node, [npmCli(), 'run', '--silent', script, ...(process.argv.length > 3 ? ['--', ...process.argv.slice(3)] : [])], { stdio: 'inherit', env });
// Ctrl-C and termination reach the whole process group: the script stops itself; we wait for it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1)));
