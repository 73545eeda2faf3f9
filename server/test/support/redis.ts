import { createConnection } from 'node:net';

/**
 * The Redis the tests use. `TEST_REDIS_URL` set (CI sets it): that one, and a test needing it fails
 * if it is down. Unset: 127.0.0.1:6379 when something answers there, else null, and the tests that
 * need Redis are skipped (a newcomer's `npm test` needs no Redis; CI always runs them).
 */
export async function testRedisUrl(): Promise<string | null> {
  const configured = process.env.TEST_REDIS_URL;
  if (configured) return configured;
  const fallback = 'redis://127.0.0.1:6379';
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: 6379 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      socket.write('PING\r\n');
      socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    });
  });
  return reachable ? fallback : null;
}
