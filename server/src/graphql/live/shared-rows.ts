/**
 * One read of a changed row per event per process, shared by every subscriber whose selection plans
 * the same Prisma query. Without it each of N live subscribers re-read the row (and then its merchant,
 * service and channel) for every event: 2,000 open admin tabs made one payin change cost thousands of
 * queries and seconds of queueing on the connection pool.
 *
 * The event bus hands the same event object to every subscriber of this process (the in-process pub/sub
 * dispatches one object; the Redis target parses each message once), so the reads are keyed by that
 * object (a WeakMap: they go when the event goes) and, within it, by the planned query. Subscribers
 * whose selections differ, or whose read rules planned a different query, get their own read: sharing
 * never hands one subscriber a row shaped or filtered for another. Whether a subscriber may see the row
 * at all is still decided by its own ability, in memory (live.subscriptions.ts).
 */

const reads = new WeakMap<object, Map<string, Promise<unknown>>>();

/** `load()` once per (event, query); later callers with the same pair get the same promise. */
export function sharedRead<T>(event: object, query: unknown, load: () => Promise<T>): Promise<T> {
  let byQuery = reads.get(event);
  if (!byQuery) {
    byQuery = new Map();
    reads.set(event, byQuery);
  }
  const key = queryKey(query);
  let read = byQuery.get(key) as Promise<T> | undefined;
  if (!read) {
    read = load();
    byQuery.set(key, read);
  }
  return read;
}

/** A planned Prisma query as text: bigints and dates spelled out so that equal queries give equal keys. */
function queryKey(query: unknown): string {
  return JSON.stringify(query, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)) ?? '';
}
