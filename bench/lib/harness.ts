import { performance } from 'node:perf_hooks';
import type { Meter, SideCost } from './meter.ts';

/**
 * The measuring part of the benchmarks: a scenario is the same work done twice, once through Payrail
 * and once as raw PostgreSQL, each side run with the same number of operations and the same
 * concurrency. Wall time, per-operation latency and, with a meter, statements, round trips and CPU per
 * operation are measured; nothing here judges speed.
 */

export interface BenchSide {
  /** Runs once before this side's warm-up (e.g. reads a row the Payrail side wrote, to copy its shape). */
  setup?(): Promise<void>;
  /** One operation. `i` numbers this side's operations, warm-up first. Throws when it did not succeed. */
  run(i: number): Promise<void>;
  /**
   * Instead of `run` one at a time from here: all `count` operations numbered from `first`, driven by
   * the side itself (a load generator in another process), returning the wall time and each latency.
   */
  runAll?(first: number, count: number, concurrency: number): Promise<{ wallMs: number; latenciesMs: number[] }>;
  /** After the run: proves what the side did (rows written, balances); throws on any mismatch. */
  verify(operations: number): Promise<string[]>;
}

export interface ScenarioSides {
  payrail: BenchSide;
  raw: BenchSide;
  /** Checks over both sides' work (ledger invariants, same answers), after both verified. */
  verify?(): Promise<string[]>;
  /** Facts that help read the numbers (not checks), measured after the run. */
  notes?(): Promise<string[]>;
  /** The same facts as numbers, for latest.json. */
  metrics?(): Promise<Record<string, unknown>>;
}

export interface Scenario {
  key: string;
  title: string;
  /** What each side does, one line each, for the report. */
  payrailDoes: string;
  rawDoes: string;
  operations: number;
  warmup: number;
  concurrency: number;
  /** Seeds what the scenario needs (outside any timing) and returns its two sides. */
  prepare(): Promise<ScenarioSides>;
}

export interface SideResult {
  operations: number;
  wallMs: number;
  opsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Per operation, from the meter (absent without one). */
  perOperation?: { statements: number; roundTrips: number; cpuMs: number; postgresCpuMs: number | null };
}

export interface ScenarioResult {
  key: string;
  title: string;
  payrailDoes: string;
  rawDoes: string;
  operations: number;
  warmup: number;
  concurrency: number;
  payrail?: SideResult;
  raw?: SideResult;
  /** Payrail wall time ÷ raw wall time for the same operations. */
  ratio?: number;
  checks: string[];
  notes: string[];
  metrics?: Record<string, unknown>;
  error?: string;
}

let stopRequested = false;

/** Ctrl-C: operations in flight finish, no new one starts, and the running side ends with an error. */
export function stopOperations(): void {
  stopRequested = true;
}

export function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** Runs `count` operations numbered from `first`, `concurrency` at a time; the first failure stops the rest and is thrown. */
export async function runOperations(
  op: (i: number) => Promise<void>,
  first: number,
  count: number,
  concurrency: number,
): Promise<{ wallMs: number; latenciesMs: number[] }> {
  const latenciesMs: number[] = [];
  let next = 0;
  let failure: { i: number; error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && !stopRequested && next < count) {
      const i = first + next++;
      const started = performance.now();
      try {
        await op(i);
      } catch (error) {
        failure ??= { i, error };
        return;
      }
      latenciesMs.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const wallMs = performance.now() - started;
  if (stopRequested) throw new Error('interrupted');
  if (failure) {
    const cause = failure.error instanceof Error ? failure.error.message : String(failure.error);
    throw new Error(`operation #${failure.i} failed: ${cause}`, { cause: failure.error });
  }
  return { wallMs, latenciesMs };
}

export function summarise(operations: number, wallMs: number, latenciesMs: number[]): SideResult {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    operations,
    wallMs,
    opsPerSecond: operations / (wallMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? 0,
  };
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function perOperation(cost: SideCost, operations: number): SideResult['perOperation'] {
  return {
    statements: cost.statements / operations,
    roundTrips: cost.roundTrips / operations,
    cpuMs: cost.cpuMs / operations,
    postgresCpuMs: cost.postgresCpuMs === null ? null : cost.postgresCpuMs / operations,
  };
}

/** Measures one side's operations (with the meter when there is one). */
async function measureSide(side: BenchSide, first: number, count: number, concurrency: number, meter: Meter | undefined): Promise<SideResult> {
  const go = () => (side.runAll ? side.runAll(first, count, concurrency) : runOperations((i) => side.run(i), first, count, concurrency));
  if (!meter) {
    const { wallMs, latenciesMs } = await go();
    return summarise(count, wallMs, latenciesMs);
  }
  const { value, cost } = await meter.measure(go);
  return { ...summarise(count, value.wallMs, value.latenciesMs), perOperation: perOperation(cost, count) };
}

/**
 * Warm-up both sides, then measure Payrail, then raw PostgreSQL, then verify both. An error anywhere
 * is returned in the result (with what was measured before it), never thrown.
 */
export async function runScenario(scenario: Scenario, progress: (line: string) => void, meter?: Meter): Promise<ScenarioResult> {
  const { operations, warmup, concurrency } = scenario;
  const result: ScenarioResult = {
    key: scenario.key,
    title: scenario.title,
    payrailDoes: scenario.payrailDoes,
    rawDoes: scenario.rawDoes,
    operations,
    warmup,
    concurrency,
    checks: [],
    notes: [],
  };
  let step = 'seeding';
  try {
    const sides = await scenario.prepare();
    step = 'Payrail warm-up';
    await sides.payrail.setup?.();
    if (warmup > 0) await (sides.payrail.runAll?.(0, warmup, concurrency) ?? runOperations((i) => sides.payrail.run(i), 0, warmup, concurrency));
    step = 'raw PostgreSQL warm-up';
    await sides.raw.setup?.();
    if (warmup > 0) await (sides.raw.runAll?.(0, warmup, concurrency) ?? runOperations((i) => sides.raw.run(i), 0, warmup, concurrency));

    step = 'Payrail';
    progress(`  ${scenario.key}: Payrail, ${operations} operations …`);
    result.payrail = await measureSide(sides.payrail, warmup, operations, concurrency, meter);
    step = 'raw PostgreSQL';
    progress(`  ${scenario.key}: raw PostgreSQL, ${operations} operations …`);
    result.raw = await measureSide(sides.raw, warmup, operations, concurrency, meter);
    result.ratio = result.payrail.wallMs / result.raw.wallMs;

    step = 'verifying Payrail';
    result.checks.push(...(await sides.payrail.verify(warmup + operations)).map((c) => `Payrail: ${c}`));
    step = 'verifying raw PostgreSQL';
    result.checks.push(...(await sides.raw.verify(warmup + operations)).map((c) => `raw: ${c}`));
    step = 'verifying both';
    result.checks.push(...((await sides.verify?.()) ?? []));
    result.notes.push(...((await sides.notes?.()) ?? []));
    if (sides.metrics) result.metrics = await sides.metrics();
  } catch (error) {
    result.error = `${step}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
  return result;
}
