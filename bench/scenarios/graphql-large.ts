import { encodeGlobalID } from '@pothos/plugin-relay';
import { formatAmount } from '../../server/src/lib/money.ts';
import { createUserFixture, type UserFixture } from '../../server/test/support/auth-fixtures.ts';
import { bulkOrders, type BulkOrders } from '../lib/bulk-orders.ts';
import type { BenchEnvironment } from '../lib/environment.ts';
import { check, type Scenario } from '../lib/harness.ts';
import { driverCounts } from '../lib/meter.ts';

/**
 * e. The back office's payin list over a large table: as an administrator, `payins(first: 50)` with
 * three filters (status, merchant, a 30-day creation range) over 1,000,000 generated orders
 * (BENCH_SCALE scales them, at most 1,000,000), walking keyset pages; against the keyset SQL with the
 * same joins, filters and order (newest first, ties by id) that returns the same rows. Operation i
 * asks for page i mod PAGES, each after the cursor of the page before it, so both sides read the
 * same pages. Checks that the statements a request sends do not grow with the page size (no N+1).
 */

const PAGE = 50;
/** Pages walked, in turn, by the operations. */
const PAGES = 20;
const STATUS = 'SUCCEEDED';
/** The creation range: the middle 30 of the 90 generated days. */
const RANGE_DAYS = 30;

const QUERY = /* GraphQL */ `
  query BenchLargePayins($first: Int!, $after: String, $filter: PayinFilter) {
    payins(first: $first, after: $after, filter: $filter) {
      edges {
        node {
          orderNo
          status
          createdAt
          amount { amount currency }
          merchant { mchId name }
          service { code name }
          channel { code }
        }
      }
      pageInfo { endCursor hasNextPage }
    }
  }
`;

/** $1 status, $2 merchant, $3/$4 the creation range [from, to), $5/$6 the last row of the page before (or null), $7 rows. */
const RAW_QUERY = `
  SELECT o.id, o."orderNo", o.status, o."createdAt", o.amount, o."currencyCode", cur.digits, m."mchId", m.name AS merchant_name,
         s.code AS service_code, s.name AS service_name, ch.code AS channel_code
  FROM orders o
  JOIN merchants m ON m.id = o."merchantId"
  JOIN services s ON s.id = o."serviceId"
  JOIN currencies cur ON cur.code = o."currencyCode"
  LEFT JOIN channels ch ON ch.id = o."channelId"
  WHERE o.status = $1::"OrderStatus" AND o."merchantId" = $2::uuid AND o."createdAt" >= $3 AND o."createdAt" < $4
    AND ($5::timestamptz IS NULL OR (o."createdAt", o.id) < ($5, $6::uuid))
  ORDER BY o."createdAt" DESC, o.id DESC
  LIMIT $7`;

interface PayinNode {
  orderNo: string;
  status: string;
  createdAt: string;
  amount: { amount: string; currency: string };
  merchant: { mchId: string; name: string } | null;
  service: { code: string; name: string } | null;
  channel: { code: string } | null;
}

interface RawRow {
  id: string;
  orderNo: string;
  status: string;
  createdAt: Date;
  amount: string;
  currencyCode: string;
  digits: number;
  mchId: string;
  merchant_name: string;
  service_code: string;
  service_name: string;
  channel_code: string | null;
}

const nodeLine = (n: PayinNode) =>
  [n.orderNo, n.status, new Date(n.createdAt).toISOString(), n.amount.amount, n.amount.currency, n.merchant?.mchId, n.merchant?.name, n.service?.code, n.service?.name, n.channel?.code ?? ''].join('|');
const rawLine = (r: RawRow) =>
  [r.orderNo, r.status, r.createdAt.toISOString(), formatAmount(BigInt(r.amount), r.digits), r.currencyCode, r.mchId, r.merchant_name, r.service_code, r.service_name, r.channel_code ?? ''].join('|');

/** Where each page starts: the GraphQL cursor and the raw side's (createdAt, id) of the row before it. */
interface PageStart {
  after: string | null;
  afterRow: { createdAt: Date; id: string } | null;
  /** The page's order numbers, which both sides must return. */
  orderNos: string;
}

export function graphqlLargeScenario(bench: BenchEnvironment, size: { operations: number; warmup: number }): Scenario {
  const { pool, env } = bench;
  const count = Math.min(1_000_000, Math.round(1_000_000 * Number(process.env.BENCH_SCALE || 1)));
  let admin: UserFixture;
  let bulk: BulkOrders;
  let filter: { status: string[]; merchantIds: string[]; createdAt: { from: string; to: string } };
  let rawArgs: [string, string, Date, Date];
  const pages: PageStart[] = [];
  const answered = { payrail: 0, raw: 0 };
  const statementsPerRequest: Record<number, number> = {};
  let plan = '';

  const payrailPage = async (first: number, after: string | null) => {
    const result = await env.graphql<{ payins: { edges: Array<{ node: PayinNode }>; pageInfo: { endCursor: string | null; hasNextPage: boolean } } }>(
      QUERY,
      { first, after, filter },
      { cookie: admin.cookie },
    );
    if (result.errors || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors).slice(0, 300)}`);
    return result.data.payins;
  };
  const rawPage = async (start: PageStart['afterRow'], rows = PAGE) =>
    (await pool.query<RawRow>(RAW_QUERY, [...rawArgs, start?.createdAt ?? null, start?.id ?? null, rows])).rows;

  /** Statements the driver sent for one request with `first` rows (nothing else runs meanwhile). */
  const statementsFor = async (first: number) => {
    const before = driverCounts().statements;
    await payrailPage(first, null);
    return driverCounts().statements - before;
  };

  return {
    key: 'graphql-large',
    title: 'e. GraphQL payin page, 1M orders',
    payrailDoes: `payins(first: ${PAGE}, after, filter: {status, merchantIds, createdAt}) over HTTP as an administrator, keyset pages`,
    rawDoes: `the keyset SELECT with the same joins and filters … (createdAt, id) < last … LIMIT ${PAGE + 1} (the extra row tells whether a next page exists)`,
    ...size,
    concurrency: bench.concurrency,
    async prepare() {
      bulk = await bulkOrders(bench, count);
      admin = await createUserFixture(env.prisma, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets });
      const merchant = bulk.merchants[0]!;
      const from = new Date(bulk.from.getTime() + RANGE_DAYS * 86_400_000);
      const to = new Date(from.getTime() + RANGE_DAYS * 86_400_000);
      filter = { status: [STATUS], merchantIds: [encodeGlobalID('Merchant', merchant.id)], createdAt: { from: from.toISOString(), to: to.toISOString() } };
      rawArgs = [STATUS, merchant.id, from, to];

      // The pages, walked once through the API: their cursors, and the rows the SQL returns there.
      let after: string | null = null;
      let afterRow: PageStart['afterRow'] = null;
      for (let p = 0; p < PAGES; p++) {
        const page = await payrailPage(PAGE, after);
        const rows = await rawPage(afterRow);
        check(page.edges.length === PAGE && page.pageInfo.hasNextPage, `page ${p} of the filtered list is full and has a next page`);
        const orderNos = rows.map((r) => r.orderNo).join(',');
        check(page.edges.map((e) => e.node.orderNo).join(',') === orderNos, `page ${p}: GraphQL and SQL list the same orders`);
        pages.push({ after, afterRow, orderNos });
        after = page.pageInfo.endCursor;
        const last = rows.at(-1)!;
        afterRow = { createdAt: last.createdAt, id: last.id };
      }
      const explained = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${RAW_QUERY}`, [...rawArgs, pages[5]!.afterRow!.createdAt, pages[5]!.afterRow!.id, PAGE + 1]);
      plan = explained.rows.map((r) => r['QUERY PLAN'].trim()).find((l) => /Index|Scan/.test(l)) ?? '';

      return {
        payrail: {
          async run(i) {
            const start = pages[i % PAGES]!;
            const page = await payrailPage(PAGE, start.after);
            if (page.edges.map((e) => e.node.orderNo).join(',') !== start.orderNos) throw new Error(`page ${i % PAGES} lists other orders than the SQL`);
            answered.payrail++;
          },
          async verify(operations) {
            check(answered.payrail === operations, `${operations} pages expected, got ${answered.payrail}`);
            return [`${answered.payrail} pages of ${PAGE} orders, each the same orders as the keyset SQL`];
          },
        },
        raw: {
          async run(i) {
            const start = pages[i % PAGES]!;
            const rows = await rawPage(start.afterRow, PAGE + 1);
            if (rows.slice(0, PAGE).map((r) => r.orderNo).join(',') !== start.orderNos) throw new Error(`page ${i % PAGES}: the SQL returned other orders`);
            answered.raw++;
          },
          async verify(operations) {
            check(answered.raw === operations, `${operations} pages expected, got ${answered.raw}`);
            return [`${answered.raw} pages of ${PAGE} rows`];
          },
        },
        async verify() {
          const checks: string[] = [];
          // Field by field on one page in the middle of the walk.
          const start = pages[PAGES / 2]!;
          const [page, rows] = [await payrailPage(PAGE, start.after), await rawPage(start.afterRow)];
          const nodes = page.edges.map((e) => e.node);
          const mismatch = nodes.findIndex((n, i) => nodeLine(n) !== rawLine(rows[i]!));
          check(mismatch < 0, `row ${mismatch}: GraphQL ${mismatch < 0 ? '' : nodeLine(nodes[mismatch]!)} ≠ SQL ${mismatch < 0 ? '' : rawLine(rows[mismatch]!)}`);
          checks.push(`both sides: the same ${PAGE} orders field by field (order no, status, created, amount, merchant, service, channel)`);
          // No N+1: a page of 5, 50 and 100 costs the same number of statements.
          for (const first of [5, PAGE, 100]) statementsPerRequest[first] = await statementsFor(first);
          const counts = Object.values(statementsPerRequest);
          check(Math.max(...counts) === Math.min(...counts), `statements per request do not grow with the page size (first: 5, 50, 100 → ${counts.join(', ')})`);
          checks.push(`statements per request do not grow with the page size: ${counts[0]} for first: 5, 50 and 100 (no N+1)`);
          return checks;
        },
        notes: async () => [
          `${bulk.count.toLocaleString('en')} generated orders (10 merchants, 4 services, 5 statuses, 90 days) in ${bulk.seconds.toFixed(1)} s including ANALYZE; the filter selects one merchant, ${STATUS}, ${RANGE_DAYS} days`,
          `the raw query's plan: ${plan}`,
        ],
        metrics: async () => ({ generatedOrders: bulk.count, generationSeconds: bulk.seconds, statementsPerRequest, rawPlan: plan }),
      };
    },
  };
}
