import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startBenchEnvironment, type BenchEnvironment } from './lib/environment.ts';
import { runScenario, stopOperations, type Scenario, type ScenarioResult } from './lib/harness.ts';
import { resultsJson, scenarioTable, summaryTable, type RunInfo } from './lib/report.ts';
import { concurrentPayoutsScenario } from './scenarios/concurrent-payouts.ts';
import { exportLargeScenario } from './scenarios/export-large.ts';
import { fanoutScenario } from './scenarios/fanout.ts';
import { graphqlLargeScenario } from './scenarios/graphql-large.ts';
import { graphqlPayinsScenario } from './scenarios/graphql-payins.ts';
import { ledgerPostingScenario } from './scenarios/ledger-posting.ts';
import { payinCreateScenario } from './scenarios/payin-create.ts';
import { restLoadScenario } from './scenarios/rest-load.ts';
import { startupSummary, type StartupResults } from './startup.ts';

/**
 * `npm run bench`: each scenario through Payrail and as the same work in raw PostgreSQL, in the same
 * run, on the same database, with the same operations and concurrency; prints both and their ratio
 * (Payrail time ÷ raw time) and writes bench/results/latest.json. Exits non-zero only when a scenario
 * fails (an operation errors or a check of what it wrote does not hold), never because of speed.
 *
 *   BENCH_SCALE=2           twice the operations (default 1: 70–90 s on 2 cores)
 *   BENCH_CONCURRENCY=16    operations in flight per side, and both sides' connection pools (default 8)
 *   BENCH_SCENARIOS=payin-create,ledger-posting   only these (also graphql-payins, concurrent-payouts; fanout, 2–3 minutes, runs only when named)
 *   BENCH_DATABASE_URL / TEST_DATABASE_URL   a superuser connection to use instead of an embedded server
 */

type ScenarioFactory = (bench: BenchEnvironment, size: { operations: number; warmup: number }) => Scenario;

/** Operations per scenario at BENCH_SCALE=1; `optIn` ones (minutes long) run only when BENCH_SCENARIOS names them. */
const SCENARIOS: Array<{ key: string; operations: number; create: ScenarioFactory; optIn?: boolean }> = [
  { key: 'payin-create', operations: 600, create: payinCreateScenario },
  { key: 'ledger-posting', operations: 1200, create: ledgerPostingScenario },
  { key: 'graphql-payins', operations: 300, create: graphqlPayinsScenario },
  { key: 'concurrent-payouts', operations: 500, create: concurrentPayoutsScenario },
  { key: 'graphql-large', operations: 300, create: graphqlLargeScenario },
  { key: 'export-large', operations: 1, create: exportLargeScenario },
  { key: 'rest-load-1', operations: 200, create: restLoadScenario(1) },
  { key: 'rest-load-8', operations: 600, create: restLoadScenario(8) },
  { key: 'rest-load-32', operations: 600, create: restLoadScenario(32) },
  { key: 'fanout', operations: 30, create: fanoutScenario, optIn: true },
];

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

function positiveNumber(name: string, fallback: number, integer: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, not "${raw}"`);
  }
  return value;
}

function selectedScenarios() {
  const wanted = (process.env.BENCH_SCENARIOS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((w) => !SCENARIOS.some((s) => s.key === w));
  if (unknown.length > 0) throw new Error(`unknown BENCH_SCENARIOS ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.key).join(', ')}`);
  return wanted.length === 0 ? SCENARIOS.filter((s) => !s.optIn) : SCENARIOS.filter((s) => wanted.includes(s.key));
}

let cleanup: (() => Promise<void>) | undefined;
/** Set by Ctrl-C / SIGTERM: no further scenario starts and no results are written. */
let interrupted = false;
let cleaning: Promise<void> | undefined;
function cleanUpOnce(): Promise<void> {
  cleaning ??= (cleanup ? cleanup() : Promise.resolve()).catch((error: unknown) => {
    console.error('cleanup failed:', error);
    process.exitCode = 1;
  });
  return cleaning;
}
/**
 * Ctrl-C: let the operations in flight finish (the server then has only idle connections and stops at
 * once), stop the server, drop the bench database, stop embedded PostgreSQL. A second Ctrl-C, or 30 s
 * without getting there, cleans up straight away (and exits after 20 s more whatever happens).
 */
const forceExit = () => {
  setTimeout(() => process.exit(130), 20_000).unref();
  void cleanUpOnce().finally(() => process.exit(130));
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return forceExit();
    interrupted = true;
    stopOperations();
    console.error(`\n${signal}: finishing the operations in flight, then stopping the server and removing the bench database …`);
    setTimeout(forceExit, 30_000).unref();
  });
}

async function main(): Promise<number> {
  const scale = positiveNumber('BENCH_SCALE', 1, false);
  const concurrency = positiveNumber('BENCH_CONCURRENCY', 8, true);
  const scenarios = selectedScenarios();
  const info: RunInfo = {
    startedAt: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    postgres: '',
    scale,
    concurrency,
  };

  console.log(`Payrail benchmarks: scale ${scale}, concurrency ${concurrency}, ${info.cpus} CPUs, Node ${info.node}`);
  const bench = await startBenchEnvironment({ concurrency, onCleanup: (fn) => (cleanup = fn) });
  info.postgres = `${bench.postgres.embedded ? 'embedded' : 'external'} PostgreSQL ${bench.postgres.version}`;
  console.log(`${info.postgres}; Payrail at ${bench.env.url} (in this process), raw side: pg pool of ${concurrency}`);

  const results: ScenarioResult[] = [];
  for (const { key, operations: base, create } of scenarios) {
    if (interrupted) break;
    const operations = Math.max(1, Math.round(base * scale));
    const warmup = Math.min(100, Math.max(2, Math.round(operations / 10)));
    console.log(`\n… ${key}: seeding and warming up`);
    const result = await runScenario(create(bench, { operations, warmup }), (line) => console.log(line), bench.meter);
    if (interrupted) break;
    results.push(result);
    console.log(scenarioTable(result));
  }

  if (interrupted) return 130;
  info.finishedAt = new Date().toISOString();
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(`${RESULTS_DIR}latest.json`, resultsJson(info, results));
  console.log(summaryTable(results));
  console.log('\nratio = Payrail time ÷ raw PostgreSQL time for the same operations (1.0× would be no overhead at all).');
  console.log(`Results written to bench/results/latest.json`);
  await printStartupSummary();

  const failed = results.filter((r) => r.error);
  if (failed.length > 0) console.error(`\n${failed.length} scenario(s) failed: ${failed.map((r) => r.key).join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}

/** The last `npm run bench:startup` (a separate run: it starts and stops whole `npm start`s), if any. */
async function printStartupSummary(): Promise<void> {
  const file = `${RESULTS_DIR}startup.json`;
  if (!existsSync(file)) return console.log('\nStart time and idle memory: run `npm run bench:startup`.');
  const results = JSON.parse(await readFile(file, 'utf8')) as StartupResults;
  console.log([`\nStart time and idle memory (npm run bench:startup of ${results.startedAt}):`, ...startupSummary(results).map((l) => `  ${l}`)].join('\n'));
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error('\nThe benchmark could not run:', error);
} finally {
  await cleanUpOnce();
}
process.exit(interrupted ? 130 : process.exitCode && process.exitCode !== 0 ? process.exitCode : code);
