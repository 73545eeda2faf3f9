import { formatAmount } from '../../server/src/lib/money.ts';
import { createUserFixture, type UserFixture } from '../../server/test/support/auth-fixtures.ts';
import type { BenchEnvironment } from '../lib/environment.ts';
import { check, type Scenario } from '../lib/harness.ts';
import { createPayinThroughApi, seedPayinMerchant } from './payin-create.ts';

/**
 * c. The back office's payin list: `payins(first: 100)` with merchant, channel and service on each
 * node, as an administrator's session over HTTP, against the one SQL join that returns the same 100
 * rows in the same order (newest first, ties by id).
 */

const PAGE = 100;

const QUERY = /* GraphQL */ `
  query BenchPayins($first: Int!) {
    payins(first: $first) {
      edges {
        node {
          orderNo
          status
          amount { amount currency }
          merchant { mchId name }
          service { code name }
          channel { code }
        }
      }
    }
  }
`;

const RAW_QUERY = `
  SELECT o."orderNo", o.status, o.amount, o."currencyCode", cur.digits, m."mchId", m.name AS merchant_name,
         s.code AS service_code, s.name AS service_name, ch.code AS channel_code
  FROM orders o
  JOIN merchants m ON m.id = o."merchantId"
  JOIN services s ON s.id = o."serviceId"
  JOIN currencies cur ON cur.code = o."currencyCode"
  LEFT JOIN channels ch ON ch.id = o."channelId"
  ORDER BY o."createdAt" DESC, o.id DESC
  LIMIT $1`;

interface OrderNode {
  orderNo: string;
  status: string;
  amount: { amount: string; currency: string };
  merchant: { mchId: string; name: string } | null;
  service: { code: string; name: string } | null;
  channel: { code: string } | null;
}

interface RawRow {
  orderNo: string;
  status: string;
  amount: string;
  currencyCode: string;
  digits: number;
  mchId: string;
  merchant_name: string;
  service_code: string;
  service_name: string;
  channel_code: string | null;
}

/** One line per row with every field both sides return, for comparing them exactly. */
const nodeLine = (n: OrderNode) =>
  [n.orderNo, n.status, n.amount.amount, n.amount.currency, n.merchant?.mchId, n.merchant?.name, n.service?.code, n.service?.name, n.channel?.code ?? ''].join('|');
const rawLine = (r: RawRow) =>
  [r.orderNo, r.status, formatAmount(BigInt(r.amount), r.digits), r.currencyCode, r.mchId, r.merchant_name, r.service_code, r.service_name, r.channel_code ?? ''].join('|');

export function graphqlPayinsScenario(bench: BenchEnvironment, size: { operations: number; warmup: number }): Scenario {
  const { pool, env } = bench;
  let admin: UserFixture;
  /** The order numbers of the page, newest first: what every answer must list. */
  let expected: string;
  const answered = { payrail: 0, raw: 0 };

  const payrailPage = async (): Promise<OrderNode[]> => {
    const result = await env.graphql<{ payins: { edges: Array<{ node: OrderNode }> } }>(QUERY, { first: PAGE }, { cookie: admin.cookie });
    if (result.errors || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors).slice(0, 300)}`);
    return result.data.payins.edges.map((e) => e.node);
  };
  const rawPage = async (): Promise<RawRow[]> => (await pool.query<RawRow>(RAW_QUERY, [PAGE])).rows;

  return {
    key: 'graphql-payins',
    title: 'c. GraphQL payin list',
    payrailDoes: `payins(first: ${PAGE}) { merchant service channel } over HTTP as an administrator session`,
    rawDoes: `one SELECT joining orders, merchants, services, currencies, channels … LIMIT ${PAGE}`,
    ...size,
    concurrency: bench.concurrency,
    async prepare() {
      admin = await createUserFixture(env.prisma, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets });
      // The page must be full: top up with payins made through the API when earlier scenarios did not run.
      const existing = await env.prisma.order.count();
      if (existing < PAGE) {
        const merchant = await seedPayinMerchant(bench, 'Bench order list');
        for (let i = existing; i < PAGE; i++) await createPayinThroughApi(merchant, `BENCH-LIST-${bench.tag}-${i}`);
      }
      expected = (await rawPage()).map((r) => r.orderNo).join(',');

      return {
        payrail: {
          async run() {
            const nodes = await payrailPage();
            if (nodes.length !== PAGE) throw new Error(`${nodes.length} orders instead of ${PAGE}`);
            if (nodes.some((n) => !n.merchant || !n.service || !n.channel)) throw new Error('an order came without its merchant, service or channel');
            if (nodes.map((n) => n.orderNo).join(',') !== expected) throw new Error('the page lists other orders than the SQL join');
            answered.payrail++;
          },
          async verify(operations) {
            check(answered.payrail === operations, `${operations} full pages expected, got ${answered.payrail}`);
            return [`${answered.payrail} answers of ${PAGE} orders, each the same page as the SQL join`];
          },
        },
        raw: {
          async run() {
            const rows = await rawPage();
            if (rows.length !== PAGE) throw new Error(`${rows.length} rows instead of ${PAGE}`);
            if (rows.map((r) => r.orderNo).join(',') !== expected) throw new Error('the join returned other orders');
            answered.raw++;
          },
          async verify(operations) {
            check(answered.raw === operations, `${operations} full pages expected, got ${answered.raw}`);
            return [`${answered.raw} results of ${PAGE} rows`];
          },
        },
        async verify() {
          // Field by field: the GraphQL page is the join's rows, amounts formatted from minor units.
          const [nodes, rows] = [await payrailPage(), await rawPage()];
          const mismatch = nodes.findIndex((n, i) => nodeLine(n) !== rawLine(rows[i]!));
          check(mismatch < 0, `row ${mismatch}: GraphQL ${mismatch < 0 ? '' : nodeLine(nodes[mismatch]!)} ≠ SQL ${mismatch < 0 ? '' : rawLine(rows[mismatch]!)}`);
          return [`both sides: the same ${PAGE} orders, field by field (order no, status, amount, merchant, service, channel)`];
        },
      };
    },
  };
}
