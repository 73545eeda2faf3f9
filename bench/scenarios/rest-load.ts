import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { BenchEnvironment } from '../lib/environment.ts';
import { check, type Scenario } from '../lib/harness.ts';
import type { LoadJob, LoadResult } from '../lib/load-generator.ts';
import { insertRawPayin, rawPayinShape, seedPayinMerchant, type PayinMerchant, type RawPayinShape } from './payin-create.ts';

/**
 * h. REST payin create under load at a given number of connections (1, 8, 32): the merchant's side is
 * autocannon in a process of its own (bench/lib/load-generator.ts), signing every request there, so
 * this process's CPU is Payrail's alone; against scenario a's raw work (one INSERT transaction of the
 * same order row and timeline rows) run here with that many operations in flight on a pool of that
 * size. Payrail's own pool stays at BENCH_CONCURRENCY (it is one server's setting).
 */

const GENERATOR = fileURLToPath(new URL('../lib/load-generator.ts', import.meta.url));

/** Runs one load job in a forked process and returns what it measured. */
function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(GENERATOR, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answered = false;
    child.once('message', (message: LoadResult | { error: string }) => {
      answered = true;
      if ('error' in message) reject(new Error(`load generator: ${message.error}`));
      else resolve(message);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`the load generator exited with code ${code} before answering`));
    });
    child.send(job);
  });
}

export function restLoadScenario(connections: number) {
  return (bench: BenchEnvironment, size: { operations: number; warmup: number }): Scenario => {
    const payrailPrefix = `BENCH-LOAD${connections}-${bench.tag}-`;
    const rawPrefix = `BENCH-RAWLOAD${connections}-${bench.tag}-`;
    let merchant: PayinMerchant;
    let rawPool: pg.Pool;
    let shape: RawPayinShape;
    const generator = { cpuMs: 0, operations: 0 };

    const countOrders = async (prefix: string) => {
      const { rows } = await bench.pool.query<{ orders: string; events: string }>(
        `SELECT count(*) AS orders, (SELECT count(*) FROM order_events e JOIN orders o ON o.id = e."orderId" WHERE o."merchantId" = $1 AND o."outTradeNo" LIKE $2) AS events
         FROM orders WHERE "merchantId" = $1 AND "outTradeNo" LIKE $2`,
        [merchant.fixture.merchant.id, `${prefix}%`],
      );
      return { orders: Number(rows[0]!.orders), events: Number(rows[0]!.events) };
    };

    return {
      key: `rest-load-${connections}`,
      title: `h. REST payin create, ${connections} conn`,
      payrailDoes: `signed POST /v1/transaction/prepayment from autocannon in its own process, ${connections} keep-alive connections`,
      rawDoes: `scenario a's INSERT transaction, ${connections} in flight on a pool of ${connections}`,
      ...size,
      concurrency: connections,
      async prepare() {
        merchant = await seedPayinMerchant(bench, `Bench load ${connections}`);
        rawPool = new pg.Pool({ connectionString: bench.env.databaseUrl, max: connections, application_name: 'payrail-bench-raw' });
        const { fixture } = merchant;
        const body = { mch_id: fixture.mchId, ...merchant.prepayment('') } as Record<string, unknown>;
        delete body.out_trade_no;
        return {
          payrail: {
            run: () => Promise.reject(new Error('driven by runAll')),
            async runAll(first, count, concurrency) {
              const result = await runLoad({
                url: bench.env.url,
                path: '/v1/transaction/prepayment',
                appId: fixture.appId,
                serial: fixture.serial,
                privateKeyPem: fixture.clientKeys.privateKeyPem,
                body,
                prefix: payrailPrefix,
                first,
                requests: count,
                connections: Math.min(concurrency, count),
              });
              if (result.ok !== count) throw new Error(`${count - result.ok} of ${count} requests failed: ${result.failures.join('; ')}`);
              generator.cpuMs += result.cpuMs;
              generator.operations += count;
              return { wallMs: result.wallMs, latenciesMs: result.latenciesMs };
            },
            async verify(operations) {
              const counted = await countOrders(payrailPrefix);
              check(counted.orders === operations, `${operations} Payrail orders expected, found ${counted.orders}`);
              return [`${counted.orders} orders, every answer code 0 with a PENDING payin`];
            },
          },
          raw: {
            async setup() {
              shape = await rawPayinShape(bench.pool, fixture.merchant.id, `${payrailPrefix}0`);
            },
            run: (i) => insertRawPayin(rawPool, shape, `${rawPrefix}${i}`),
            async verify(operations) {
              const counted = await countOrders(rawPrefix);
              await rawPool.end();
              check(counted.orders === operations, `${operations} raw orders expected, found ${counted.orders}`);
              check(counted.events === operations * shape.timeline.rows, `${operations * shape.timeline.rows} raw timeline rows expected, found ${counted.events}`);
              return [`${counted.orders} orders with ${shape.timeline.rows} timeline rows each`];
            },
          },
          notes: async () => [
            `the load generator's own CPU (signing, HTTP client; not in Payrail's figure): ${(generator.cpuMs / generator.operations).toFixed(2)} ms per request; Payrail's pool: ${bench.concurrency} connections`,
          ],
          metrics: async () => ({ connections, generatorCpuMsPerRequest: generator.cpuMs / generator.operations, payrailPoolSize: bench.concurrency }),
        };
      },
    };
  };
}
