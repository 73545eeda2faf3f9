import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { to as copyTo } from 'pg-copy-streams';
import { EXPORT_TASK } from '../../server/src/modules/exports/exports.service.ts';
import { exportTasks } from '../../server/src/modules/exports/exports.tasks.ts';
import { createUserFixture, type UserFixture } from '../../server/test/support/auth-fixtures.ts';
import { bulkOrders, type BulkOrders } from '../lib/bulk-orders.ts';
import type { BenchEnvironment } from '../lib/environment.ts';
import { check, type Scenario } from '../lib/harness.ts';

/**
 * g. The download center's payin export over 1,000,000 generated orders (the ones scenario e reads;
 * BENCH_SCALE scales them, at most the 1,000,000 an export may hold): an administrator asks for it with
 * `createExport(kind: PAYINS, payinFilter: {createdAt})` over GraphQL, and the export job's own task
 * (`exports:run`, what the worker runs) writes the CSV into the database part by part. The raw floor
 * is `COPY (SELECT the same columns, joined and formatted) TO STDOUT (FORMAT csv)` read to the end.
 * One export per side. This process's RSS is sampled every 100 ms during each side: the export must
 * not hold the file (or the rows) in memory. Afterwards the file is downloaded over HTTP as the admin
 * (`GET /api/exports/:id/download`), read as a stream, and its lines counted.
 */

const RSS_SAMPLE_MS = 100;

/** The export's columns as SQL: the raw side writes what the export writes, formatted in the database. */
const RAW_COPY = (from: Date, to: Date) => `
  COPY (
    SELECT o."orderNo", o."outTradeNo", m."mchId", m.name, s.code, ch.code, o.status,
           round(o.amount / power(10::numeric, cur.digits), cur.digits), round(o."paidAmount" / power(10::numeric, cur.digits), cur.digits),
           round(o.fee / power(10::numeric, cur.digits), cur.digits), o."currencyCode", o."createdAt", o."paidAt", o."userLabel",
           o."creationType", o.originality, o."postbackStatus", o.test
    FROM orders o
    JOIN merchants m ON m.id = o."merchantId"
    JOIN services s ON s.id = o."serviceId"
    JOIN currencies cur ON cur.code = o."currencyCode"
    LEFT JOIN channels ch ON ch.id = o."channelId"
    WHERE o."createdAt" >= '${from.toISOString()}' AND o."createdAt" < '${to.toISOString()}'
    ORDER BY o.id
  ) TO STDOUT (FORMAT csv, HEADER)`;

/** The highest RSS seen while `fn` runs, sampled every 100 ms (and at both ends). */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakBytes: number; startBytes: number }> {
  const startBytes = process.memoryUsage().rss;
  let peakBytes = startBytes;
  const timer = setInterval(() => (peakBytes = Math.max(peakBytes, process.memoryUsage().rss)), RSS_SAMPLE_MS);
  try {
    const value = await fn();
    peakBytes = Math.max(peakBytes, process.memoryUsage().rss);
    return { value, peakBytes, startBytes };
  } finally {
    clearInterval(timer);
  }
}

/** Counts the bytes and CSV lines of a stream without keeping it. */
function lineCounter() {
  const counted = { bytes: 0, lines: 0 };
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      counted.bytes += chunk.length;
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) counted.lines++;
      done();
    },
  });
  return { counted, sink };
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

export function exportLargeScenario(bench: BenchEnvironment, size: { operations: number; warmup: number }): Scenario {
  const { pool, env } = bench;
  const count = Math.min(1_000_000, Math.round(1_000_000 * Number(process.env.BENCH_SCALE || 1)));
  let admin: UserFixture;
  let bulk: BulkOrders;
  const memory = { payrail: { start: 0, peak: 0 }, raw: { start: 0, peak: 0 } };
  const exported = { payrail: { id: '', rows: 0, bytes: 0, seconds: 0 }, raw: { rows: 0, bytes: 0, seconds: 0 } };
  let download = { bytes: 0, lines: 0, peak: 0 };

  const payrailExport = async () => {
    const started = performance.now();
    const created = await env.graphql<{ createExport: { id: string; status: string } }>(
      `mutation ($filter: PayinFilter) { createExport(kind: PAYINS, payinFilter: $filter) { id status } }`,
      { filter: { createdAt: { from: bulk.from.toISOString(), to: bulk.to.toISOString() } } },
      { cookie: admin.cookie },
    );
    if (created.errors || !created.data) throw new Error(`createExport: ${JSON.stringify(created.errors).slice(0, 300)}`);
    const id = decodeGlobalID(created.data.createExport.id).id;
    // What the worker runs for the job createExport scheduled (this bench runs no worker of its own).
    await exportTasks[EXPORT_TASK]!({ exportId: id }, env.services, undefined as never);
    const row = await env.prisma.export.findUniqueOrThrow({ where: { id }, omit: { content: true } });
    if (row.status !== 'DONE') throw new Error(`the export ended ${row.status}: ${row.error}`);
    exported.payrail = { id, rows: row.processedRows, bytes: row.fileSize ?? 0, seconds: (performance.now() - started) / 1000 };
  };

  const rawExport = async () => {
    const started = performance.now();
    const client = await pool.connect();
    try {
      const { counted, sink } = lineCounter();
      await pipeline(client.query(copyTo(RAW_COPY(bulk.from, bulk.to))), sink);
      exported.raw = { rows: counted.lines - 1, bytes: counted.bytes, seconds: (performance.now() - started) / 1000 };
    } finally {
      client.release();
    }
  };

  return {
    key: 'export-large',
    title: 'g. CSV export, 1M orders',
    payrailDoes: 'createExport(kind: PAYINS, payinFilter: {createdAt}) over GraphQL, then the exports:run task writes the CSV into the database in parts',
    rawDoes: 'COPY (SELECT the same columns, joined and formatted … ORDER BY id) TO STDOUT (FORMAT csv), read to the end',
    ...size,
    operations: 1,
    warmup: 0,
    concurrency: 1,
    async prepare() {
      bulk = await bulkOrders(bench, count);
      admin = await createUserFixture(env.prisma, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets });
      return {
        payrail: {
          async run() {
            const { peakBytes, startBytes } = await peakRss(payrailExport);
            memory.payrail = { start: startBytes, peak: peakBytes };
          },
          async verify() {
            check(exported.payrail.rows === bulk.count, `${bulk.count} rows exported, found ${exported.payrail.rows}`);
            // The file as the admin's browser gets it: GET /api/exports/:id/download, read to the end.
            const res = await fetch(`${env.url}/api/exports/${exported.payrail.id}/download`, { headers: { cookie: admin.cookie } });
            check(res.status === 200 && res.body !== null, `the export downloads (HTTP ${res.status})`);
            const { counted, sink } = lineCounter();
            const read = await peakRss(() => pipeline(Readable.fromWeb(res.body as never), sink));
            download = { ...counted, peak: read.peakBytes };
            check(counted.lines === bulk.count + 1, `the file has a header and ${bulk.count} lines, found ${counted.lines}`);
            check(counted.bytes === exported.payrail.bytes, `the file is ${exported.payrail.bytes} bytes as recorded, read ${counted.bytes}`);
            return [`${exported.payrail.rows.toLocaleString('en')} rows, ${mb(counted.bytes)}; downloaded as a stream: header + ${exported.payrail.rows.toLocaleString('en')} lines`];
          },
        },
        raw: {
          async run() {
            const { peakBytes, startBytes } = await peakRss(rawExport);
            memory.raw = { start: startBytes, peak: peakBytes };
          },
          async verify() {
            check(exported.raw.rows === bulk.count, `${bulk.count} rows copied, found ${exported.raw.rows}`);
            return [`${exported.raw.rows.toLocaleString('en')} rows, ${mb(exported.raw.bytes)}`];
          },
        },
        notes: async () => [
          `Payrail: ${Math.round(exported.payrail.rows / exported.payrail.seconds).toLocaleString('en')} rows/s; this process's RSS ${mb(memory.payrail.start)} before, peak ${mb(memory.payrail.peak)} during the export (sampled every ${RSS_SAMPLE_MS} ms; the process also holds the server, the bench and the earlier scenarios)`,
          `raw COPY: ${Math.round(exported.raw.rows / exported.raw.seconds).toLocaleString('en')} rows/s; RSS ${mb(memory.raw.start)} before, peak ${mb(memory.raw.peak)}`,
          `downloading the file over HTTP (server and reader in this process): peak RSS ${mb(download.peak)}`,
        ],
        metrics: async () => ({
          rows: bulk.count,
          payrailRowsPerSecond: exported.payrail.rows / exported.payrail.seconds,
          rawRowsPerSecond: exported.raw.rows / exported.raw.seconds,
          payrailRssStartMb: memory.payrail.start / 1_048_576,
          payrailRssPeakMb: memory.payrail.peak / 1_048_576,
          rawRssPeakMb: memory.raw.peak / 1_048_576,
          downloadRssPeakMb: download.peak / 1_048_576,
          fileBytes: exported.payrail.bytes,
        }),
      };
    },
  };
}
