import { readFileSync } from 'node:fs';
import pg from 'pg';

/**
 * What one side of a scenario costs besides time: SQL statements and database round trips per
 * operation, counted at the driver, and CPU per operation, of this process and of the PostgreSQL
 * backends serving the bench database.
 *
 * Both sides talk to PostgreSQL through `pg` (Payrail through Prisma 7's `@prisma/adapter-pg`, the raw
 * side through a `pg.Pool`), and every query either sends goes through `pg.Client.prototype.query`:
 * so that is wrapped once, and a side's numbers are the calls made while it runs. pg sends one query
 * at a time per connection and waits for its answer (no pipelining), so one call is one round trip;
 * BEGIN and COMMIT are calls like any other. A call whose text holds several `;`-separated statements
 * (only possible without parameters) counts them all as statements and once as a round trip.
 * Anything else the process sends meanwhile (Payrail's pollers, LISTEN) counts too, which is fair: it
 * is part of running Payrail. Redis round trips are not counted.
 *
 * CPU: `process.cpuUsage()` over the side's run — Payrail's server runs in this process, and so does
 * whatever client the scenario drives it with (the REST scenarios' signing client, the GraphQL client),
 * so the Payrail figure includes that client unless the client runs in its own process (scenario h).
 * PostgreSQL CPU: the utime + stime in `/proc/<pid>/stat` of the bench database's backends (found in
 * `pg_stat_activity`) before and after the side; background processes (WAL writer, checkpointer) are
 * not in it, and a backend that both starts and ends within the side is missed. When the server is not
 * on this machine, that figure is left out.
 */

export interface SideCost {
  statements: number;
  roundTrips: number;
  cpuMs: number;
  /** Null when the backends' CPU cannot be read (the server is not local). */
  postgresCpuMs: number | null;
}

const counts = { statements: 0, roundTrips: 0 };
/** Clients whose queries are the meter's own (reading pg_stat_activity) and are not counted. */
const unmetered = new WeakSet<object>();
let installed = false;

/** Statements in a query text without parameters: `;`-separated parts outside quotes, comments ignored. */
export function statementsIn(text: string): number {
  let n = 0;
  let current = false;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
      current = true;
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === ';') {
      if (current) n++;
      current = false;
    } else if (!/\s/.test(c)) current = true;
  }
  return n + (current ? 1 : 0) || 1;
}

function countQuery(args: unknown[]): void {
  const [first, second] = args;
  const config = typeof first === 'object' && first !== null ? (first as { text?: unknown; values?: unknown[] }) : undefined;
  const text = typeof first === 'string' ? first : typeof config?.text === 'string' ? config.text : '';
  const values = Array.isArray(second) ? second : config?.values;
  counts.roundTrips++;
  counts.statements += values && values.length > 0 ? 1 : statementsIn(text);
}

/** Wraps `pg.Client.prototype.query` (once per process); every client, Prisma's included, is counted from then on. */
export function installDriverMeter(): void {
  if (installed) return;
  installed = true;
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function meteredQuery(this: object, ...args: unknown[]) {
    if (!unmetered.has(this)) countQuery(args);
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
}

/** The statements and round trips counted so far (take two and subtract). */
export function driverCounts(): { statements: number; roundTrips: number } {
  return { ...counts };
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture Node runs on.

/** CPU ms of a local process from /proc/<pid>/stat, or null when it is not there (not local, ended). */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (!stat.includes('(postgres)') && !stat.includes('(postmaster)')) return null;
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Measures sides: counts at the driver, CPU of this process and of the bench database's backends. */
export class Meter {
  private readonly client: pg.Client;
  private connected: Promise<void> | undefined;

  constructor(databaseUrl: string) {
    installDriverMeter();
    this.client = new pg.Client({ connectionString: databaseUrl, application_name: 'payrail-bench-meter' });
    unmetered.add(this.client);
  }

  /** CPU ms of each backend of this database (other than the meter's own), or null when none can be read. */
  private async backends(): Promise<Map<number, number> | null> {
    this.connected ??= this.client.connect().then(() => undefined);
    await this.connected;
    const { rows } = await this.client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = processCpuMs(pid);
      if (ms !== null) cpu.set(pid, ms);
    }
    return rows.length > 0 && cpu.size === 0 ? null : cpu;
  }

  /** Runs `fn` and returns what it cost (with `fn`'s result). */
  async measure<T>(fn: () => Promise<T>): Promise<{ value: T; cost: SideCost }> {
    const before = await this.backends();
    const driver = driverCounts();
    const cpu = process.cpuUsage();
    const value = await fn();
    const used = process.cpuUsage(cpu);
    const after = driverCounts();
    const afterBackends = await this.backends();
    let postgresCpuMs: number | null = null;
    if (before && afterBackends) {
      postgresCpuMs = 0;
      // A backend that started during the run counts from zero: its whole life was this run.
      for (const [pid, ms] of afterBackends) postgresCpuMs += ms - (before.get(pid) ?? 0);
    }
    return {
      value,
      cost: {
        statements: after.statements - driver.statements,
        roundTrips: after.roundTrips - driver.roundTrips,
        cpuMs: (used.user + used.system) / 1000,
        postgresCpuMs,
      },
    };
  }

  async close(): Promise<void> {
    if (this.connected) await this.connected.then(() => this.client.end()).catch(() => undefined);
  }
}
