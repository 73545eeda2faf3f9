// Runs before `npm start` and `npm test` (the root package's prestart/pretest): refuses, with a message
// that says what to do, a Node.js outside the root package.json's `engines.node`, instead of failing
// later somewhere inside a dependency. Plain JavaScript for any Node a newcomer may have.
import { readFileSync } from 'node:fs';

const root = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const range = root.engines.node; // e.g. "^22.18.0 || >=24"

const parse = (v) => v.replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10) || 0);
const compare = (a, b) => a[0] - b[0] || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0);
const current = parse(process.versions.node);

function satisfies(part) {
  const m = /^(\^|>=)\s*v?([\d.]+)$/.exec(part.trim());
  if (!m) throw new Error(`check-node: cannot read "${part}" of engines.node "${range}"`);
  const floor = parse(m[2]);
  return compare(current, floor) >= 0 && (m[1] === '>=' || current[0] === floor[0]);
}

if (!range.split('||').some(satisfies)) {
  console.error(
    [
      '',
      `Payrail needs Node.js ${range}; this is Node.js ${process.versions.node}.`,
      'Its dependencies (graphile-worker, graphql-yoga, vue-i18n, Prisma) need 22.18 or newer; Node.js 20 reached its end of life in April 2026.',
      'Install a current LTS from https://nodejs.org (or your version manager: nvm install 24), or take one',
      'from the npm registry without another download:',
      '  npm install --prefix ~/.payrail-node node@24 && export PATH="$HOME/.payrail-node/node_modules/node/bin:$PATH"',
      'then run `npm ci` again with it.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
