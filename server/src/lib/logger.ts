import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Paths that may carry secrets; pino replaces their values before anything is written. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.privateKeyPem',
  '*.privateKeyEnc',
  '*.credentials',
  '*.credentialsEnc',
  '*.totpSecret',
  '*.token',
  'password',
  'url',
];

const PRETTY_OPTIONS = { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' };

/** `destination`: where the lines go (standard output unless given; see `prettyDestination`). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Readable lines for a terminal (`npm start` in development), formatted in this thread: pino's
 * `transport` option would start a worker thread, a second JavaScript heap of about 35 MB, for it.
 * Synchronous, so nothing is lost when the process exits. pino-pretty is a development dependency:
 * without it (a production install) the lines stay JSON.
 */
export async function prettyDestination(): Promise<DestinationStream | undefined> {
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({ ...PRETTY_OPTIONS, sync: true });
  } catch {
    return undefined;
  }
}
