import type { ScenarioResult, SideResult } from './harness.ts';

/** Console tables and the JSON file of a benchmark run. */

export interface RunInfo {
  startedAt: string;
  finishedAt?: string;
  node: string;
  cpus: number;
  postgres: string;
  scale: number;
  concurrency: number;
}

const opsPerSecond = (s: SideResult | undefined) => (s ? s.opsPerSecond.toFixed(1) : '—');
const ms = (value: number | undefined) => (value === undefined ? '—' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const count = (value: number | undefined) => (value === undefined ? '—' : value < 100 ? value.toFixed(1) : value.toFixed(0));
const ratio = (r: ScenarioResult) => (r.ratio === undefined ? '—' : `${r.ratio.toFixed(1)}×`);

function table(rows: string[][], alignRight: (column: number) => boolean): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => (alignRight(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('   ').trimEnd());
}

export function scenarioTable(r: ScenarioResult): string {
  const side = (label: string, s: SideResult | undefined) => [
    label,
    opsPerSecond(s),
    ms(s?.p50Ms),
    ms(s?.p95Ms),
    ms(s?.p99Ms),
    s ? (s.wallMs / 1000).toFixed(2) : '—',
    count(s?.perOperation?.statements),
    count(s?.perOperation?.roundTrips),
    ms(s?.perOperation?.cpuMs),
    ms(s?.perOperation?.postgresCpuMs ?? undefined),
  ];
  const lines = [
    '',
    `${r.title} — ${r.operations} operations (after ${r.warmup} warm-up), concurrency ${r.concurrency}`,
    `  Payrail:        ${r.payrailDoes}`,
    `  raw PostgreSQL: ${r.rawDoes}`,
    ...table(
      [
        ['', 'ops/s', 'p50 ms', 'p95 ms', 'p99 ms', 'time s', 'stmts/op', 'trips/op', 'CPU ms/op', 'PG CPU ms/op'],
        side('Payrail', r.payrail),
        side('raw PostgreSQL', r.raw),
      ],
      (c) => c > 0,
    ).map((l) => `  ${l}`),
    `  ratio (Payrail time ÷ raw time): ${ratio(r)}${r.payrail && r.raw ? `; p95 ratio ${(r.payrail.p95Ms / r.raw.p95Ms).toFixed(1)}×` : ''}`,
    ...r.checks.map((c) => `  ✓ ${c}`),
    ...r.notes.map((n) => `  · ${n}`),
  ];
  if (r.error) lines.push(`  ✗ FAILED during ${r.error}`);
  return lines.join('\n');
}

/** Statements / round trips per operation. */
const trips = (s: SideResult | undefined) => (s?.perOperation ? `${count(s.perOperation.statements)}/${count(s.perOperation.roundTrips)}` : '—');
/** This process's CPU ms per operation, + PostgreSQL backends' when known. */
const cpu = (s: SideResult | undefined) =>
  s?.perOperation ? `${ms(s.perOperation.cpuMs)}${s.perOperation.postgresCpuMs === null ? '' : `+${ms(s.perOperation.postgresCpuMs)}`}` : '—';

export function summaryTable(results: ScenarioResult[]): string {
  const rows = [
    ['scenario', 'ops', 'conc', 'Payrail ops/s', 'p50/p95 ms', 'stmts/trips', 'CPU ms', 'raw ops/s', 'p50/p95 ms', 'stmts/trips', 'CPU ms', 'ratio'],
    ...results.map((r) => [
      r.title,
      String(r.operations),
      String(r.concurrency),
      opsPerSecond(r.payrail),
      `${ms(r.payrail?.p50Ms)}/${ms(r.payrail?.p95Ms)}`,
      trips(r.payrail),
      cpu(r.payrail),
      opsPerSecond(r.raw),
      `${ms(r.raw?.p50Ms)}/${ms(r.raw?.p95Ms)}`,
      trips(r.raw),
      cpu(r.raw),
      r.error ? 'FAILED' : ratio(r),
    ]),
  ];
  const [head, ...body] = table(rows, (c) => c > 0);
  return [
    '',
    head!,
    '-'.repeat(head!.length),
    ...body,
    '',
    'stmts/trips = SQL statements / database round trips per operation, counted at the pg driver (BEGIN and COMMIT included).',
    "CPU ms = this process's CPU per operation (Payrail's server and, unless it runs in its own process, its client) + the bench database's PostgreSQL backends' CPU.",
  ].join('\n');
}

/** The run as JSON; times and rates rounded to 3 decimals (timer noise is far above that). */
export function resultsJson(info: RunInfo, results: ScenarioResult[]): string {
  const rounded = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value);
  return `${JSON.stringify({ ...info, scenarios: results }, rounded, 2)}\n`;
}
