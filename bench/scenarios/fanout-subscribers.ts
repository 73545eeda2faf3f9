import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The subscriber side of scenario f (fanout.ts), run as a child process so that 2,000 WebSocket
 * clients parse their messages on their own event loop rather than on the server's: what is measured
 * is the server's fan-out, not a client sharing its thread. The parent sends one `open` message
 * (graphql-ws subscriptions with a session cookie, or plain WebSockets with a merchant filter), this
 * process opens every socket, answers `opened`, and from then on reports every message it receives as
 * `[subscriber, orderNo, status, mchId, receivedAt]`, batched. `receivedAt` is
 * `performance.timeOrigin + performance.now()`: the same clock as the parent's commit times.
 */

export type SubscriberSpec =
  | { kind: 'graphql'; url: string; cookie: string; query: string; variables?: Record<string, unknown> }
  | { kind: 'plain'; url: string; merchantId: string | null };

export type Receipt = [subscriber: number, orderNo: string, status: string, mchId: string, receivedAt: number];

export type ToSubscribers = { type: 'open'; subscribers: SubscriberSpec[] } | { type: 'close' };
export type FromSubscribers = { type: 'opened'; failed: string[] } | { type: 'receipts'; receipts: Receipt[] } | { type: 'closed' };

const now = () => performance.timeOrigin + performance.now();
const send = (message: FromSubscribers) => process.send!(message);

let pending: Receipt[] = [];
let flushScheduled = false;
/** Receipts leave in batches (one IPC message per turn of the event loop, not one per WebSocket message). */
function receive(receipt: Receipt): void {
  pending.push(receipt);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(() => {
    flushScheduled = false;
    const batch = pending;
    pending = [];
    send({ type: 'receipts', receipts: batch });
  });
}

interface PayinMessage {
  orderNo: string;
  status: string;
  merchant?: { mchId: string } | null;
  mchId?: string;
}

const closers: Array<() => Promise<void> | void> = [];

/** One graphql-ws client (its own socket) with one subscription; resolves once the server acknowledged the connection. */
function openGraphql(index: number, spec: Extract<SubscriberSpec, { kind: 'graphql' }>): Promise<void> {
  return new Promise((resolve, reject) => {
    let client: Client | undefined;
    client = createClient({
      url: spec.url,
      lazy: false,
      retryAttempts: 0,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie: spec.cookie } });
        }
      },
      on: {
        connected: () => {
          client!.subscribe(
            { query: spec.query, ...(spec.variables ? { variables: spec.variables } : {}) },
            {
              next: (value) => {
                const payin = (value.data as { payinChanged?: PayinMessage | null } | undefined)?.payinChanged;
                if (payin) receive([index, payin.orderNo, payin.status, payin.merchant?.mchId ?? '', now()]);
                else receive([index, '', `error: ${JSON.stringify(value.errors ?? value.data).slice(0, 800)}`, '', now()]);
              },
              error: (error) => receive([index, '', `error: ${String((error as Error)?.message ?? JSON.stringify(error)).slice(0, 200)}`, '', now()]),
              complete: () => {},
            },
          );
          resolve();
        },
        closed: (event) => reject(new Error(`subscriber ${index} closed: ${(event as { code?: number })?.code ?? ''}`)),
        error: (error) => reject(error instanceof Error ? error : new Error(String(error))),
      },
    });
    closers.push(() => client!.dispose());
  });
}

/** A plain WebSocket that tells the raw fan-out server which merchant it follows (null: all). */
function openPlain(index: number, spec: Extract<SubscriberSpec, { kind: 'plain' }>): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(spec.url);
    socket.on('open', () => {
      socket.send(JSON.stringify({ merchantId: spec.merchantId }));
      resolve();
    });
    socket.on('message', (data) => {
      const payin = JSON.parse(data.toString()) as PayinMessage;
      receive([index, payin.orderNo, payin.status, payin.mchId ?? '', now()]);
    });
    socket.on('error', reject);
    closers.push(() => socket.close());
  });
}

async function open(subscribers: SubscriberSpec[]): Promise<string[]> {
  const failed: string[] = [];
  // In slices: 2,000 handshakes at once would measure the server's accept queue, not the fan-out.
  for (let start = 0; start < subscribers.length; start += 100) {
    const slice = subscribers.slice(start, start + 100).map((spec, offset) => {
      const index = start + offset;
      const opening = spec.kind === 'graphql' ? openGraphql(index, spec) : openPlain(index, spec);
      return opening.catch((error: unknown) => {
        failed.push(`#${index}: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    await Promise.all(slice);
  }
  return failed;
}

process.on('message', (message: ToSubscribers) => {
  if (message.type === 'open') {
    void open(message.subscribers).then((failed) => send({ type: 'opened', failed }));
  } else if (message.type === 'close') {
    void Promise.allSettled(closers.map((close) => close())).then(() => {
      send({ type: 'closed' });
      process.disconnect();
    });
  }
});
process.on('disconnect', () => process.exit(0));
