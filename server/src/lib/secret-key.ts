import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import type { Logger } from './logger.ts';
import { createSecretBox, parseSecretKey, type SecretBox } from './crypto.ts';

/**
 * The key that seals secrets at rest. Production must set SECRET_KEY (config refuses to start without
 * it); elsewhere a key is generated once into the data folder so a newcomer needs no setup.
 */
export async function loadSecretBox(config: Config, log: Logger): Promise<SecretBox> {
  if (config.SECRET_KEY) return createSecretBox(parseSecretKey(config.SECRET_KEY));
  const file = path.join(path.resolve(config.PAYRAIL_DATA_DIR), 'secret.key');
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    log.warn({ file }, 'SECRET_KEY is not set: generated a development key; set SECRET_KEY in production');
  }
  return createSecretBox(parseSecretKey((await readFile(file, 'utf8')).trim()));
}
