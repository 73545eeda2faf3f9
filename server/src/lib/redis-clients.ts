import { Redis } from 'ioredis';

const clients = new Map<string, Redis>();

/** One Redis client per URL and process, shared by the request-path stores (nonces, rate limits). */
export function redisClient(url: string): Redis {
  let client = clients.get(url);
  if (!client) {
    // Fail fast rather than queue: a request whose nonce cannot be recorded is refused (50001).
    client = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 2_000, connectTimeout: 5_000 });
    client.on('error', () => {
      // ioredis reconnects by itself; failed commands reject and are reported by the request.
    });
    clients.set(url, client);
  }
  return client;
}

/** Closes the Redis clients opened in this process (call when the HTTP server stops). */
export async function closeRedisClients(): Promise<void> {
  const open = [...clients.values()];
  clients.clear();
  await Promise.all(open.map((client) => client.quit().then(() => undefined, () => client.disconnect())));
}
