import { createPrivateKey } from 'node:crypto';
import autocannon from 'autocannon';
import { buildAuthorizationHeader, randomNonce, signRequest } from '../../server/src/lib/crypto.ts';

/**
 * The REST load generator of scenario h, run in a process of its own (`child_process.fork`), so the
 * merchant's RSA signing is not inside Payrail's CPU: autocannon with `connections` keep-alive
 * connections sends `amount` signed POSTs, each with its own out_trade_no (`prefix` + number from
 * `first`), signed in `setupRequest` exactly as the REST contract says (see MerchantClient). It sends
 * back each request's latency, the answers that were not code 0 with a PENDING payin, and its own CPU.
 */

export interface LoadJob {
  url: string;
  path: string;
  appId: string;
  serial: string;
  privateKeyPem: string;
  /** The request body without out_trade_no. */
  body: Record<string, unknown>;
  prefix: string;
  first: number;
  /** How many requests to send (autocannon's `amount`). */
  requests: number;
  connections: number;
}

export interface LoadResult {
  wallMs: number;
  latenciesMs: number[];
  ok: number;
  failures: string[];
  cpuMs: number;
}

async function run(job: LoadJob): Promise<LoadResult> {
  let next = job.first;
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  let ok = 0;
  const key = createPrivateKey(job.privateKeyPem);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let finish!: (result: autocannon.Result) => void;
  let fail!: (error: unknown) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => ((finish = resolve), (fail = reject)));
  const instance = autocannon({
    url: job.url,
    connections: job.connections,
    amount: job.requests,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        path: job.path,
        setupRequest(request) {
          const body = JSON.stringify({ ...job.body, out_trade_no: `${job.prefix}${next++}` });
          const timestamp = Math.floor(Date.now() / 1000);
          const nonce = randomNonce(24);
          const signature = signRequest(key, { method: 'POST', pathWithQuery: job.path, timestamp, nonce, body });
          return {
            ...request,
            body,
            headers: {
              ...request.headers,
              'content-type': 'application/json',
              app_id: job.appId,
              authorization: buildAuthorizationHeader({ timestamp, nonce, serial: job.serial, signature }),
            },
          };
        },
        onResponse(status, body) {
          let answer: { code?: number; data?: { status?: string } } | undefined;
          try {
            answer = JSON.parse(body) as typeof answer;
          } catch {
            answer = undefined;
          }
          if (status === 200 && answer?.code === 0 && answer.data?.status === 'PENDING') ok++;
          else if (failures.length < 5) failures.push(`HTTP ${status}: ${body.slice(0, 200)}`);
        },
      },
    ],
  }, (error, result) => (error ? fail(error) : finish(result)));
  instance.on('response', (_client, _status, _bytes, responseTime) => latenciesMs.push(responseTime));
  const result = await finished;
  const used = process.cpuUsage(cpu);
  if (result.errors > 0 && failures.length < 5) failures.push(`${result.errors} connection errors, ${result.timeouts} timeouts`);
  return { wallMs: performance.now() - started, latenciesMs, ok, failures, cpuMs: (used.user + used.system) / 1000 };
}

process.once('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: unknown) => process.send!({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)),
  );
});
