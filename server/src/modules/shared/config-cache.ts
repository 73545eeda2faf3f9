import type { Db } from '../../db/prisma.ts';

/**
 * Configuration every payin and payout reads (a merchant's service, the channels bound to a service,
 * the risk rules) cached in memory, so the hot path decides without a round trip to the database.
 *
 * Trust comes from the database, not from a timer: triggers on the configuration tables NOTIFY on
 * commit (migration config_change_notify), each process listens (db/config-watch.ts, started by
 * platform.ts) and drops everything cached at the first notification. While the listener is not
 * connected — before it starts, after a lost connection, in the CLI and in processes that never start
 * it — the cache is bypassed and every read goes to the database. A load that was in flight when a
 * change arrived is not kept. The TTL is only a backstop against a missed notification.
 *
 * One cache per database client (a WeakMap on the Prisma client), so two platforms in one process (the
 * tests) never share entries. Cached values are shared: callers must not mutate them.
 */
export const CONFIG_TTL_MS = 60_000;
const MAX_ENTRIES = 20_000;

interface Entry {
  generation: number;
  expiresAt: number;
  value: Promise<unknown>;
}

export class ConfigCache {
  #live = false;
  #generation = 0;
  readonly #entries = new Map<string, Entry>();

  /** Whether notifications arrive (the cache is used only then). */
  get live(): boolean {
    return this.#live;
  }

  setLive(live: boolean): void {
    this.#live = live;
    this.invalidate();
  }

  /** Drops everything (a configuration table changed). */
  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
  }

  /** The cached value of `key`, or `load()` (kept when the cache is live and nothing changed meanwhile). */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.#live) return load();
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && hit.generation === this.#generation && hit.expiresAt > now) return hit.value as Promise<T>;
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    const value = load();
    const entry: Entry = { generation: this.#generation, expiresAt: now + CONFIG_TTL_MS, value };
    this.#entries.set(key, entry);
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return value;
  }
}

const caches = new WeakMap<object, ConfigCache>();

/** The configuration cache of a database client. A transaction (`tx`) has none: reads inside one go to the database. */
export function configCacheOf(db: Db): ConfigCache | null {
  return caches.get(db) ?? null;
}

/** Creates (or returns) the cache of a root client; platform.ts makes it live with the change watch. */
export function ensureConfigCache(db: Db): ConfigCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new ConfigCache()));
  return cache;
}

/** `load()` through `db`'s cache when it has a live one, else straight from the database. */
export function cachedConfig<T>(db: Db, key: string, load: () => Promise<T>): Promise<T> {
  const cache = caches.get(db);
  return cache ? cache.get(key, load) : load();
}
