import type { Config } from '../config/config.ts';
import type { PrismaClient } from '../db/prisma.ts';
import type { Logger } from '../lib/logger.ts';
import type { SecretBox } from '../lib/crypto.ts';
import type { AppAbility } from '../modules/auth/ability.ts';
import type { Viewer } from '../modules/auth/viewer.ts';
import type { PubSub } from './pubsub.ts';

/** Process-wide services every request shares. */
export interface AppServices {
  prisma: PrismaClient;
  config: Config;
  log: Logger;
  pubsub: PubSub;
  /** Seals and opens secrets at rest (keys, credentials, TOTP seeds). */
  secrets: SecretBox;
  /** True once migrations are applied; /readyz reports it. */
  readiness: { migrated: boolean };
}

/** Per-request GraphQL context. */
export interface GraphQLContext extends AppServices {
  requestId: string;
  ip: string | undefined;
  userAgent: string | undefined;
  /** Who is calling (session cookie, API token or nobody); resolved once per request / WebSocket operation. */
  viewer: Viewer;
  /** The CASL ability of `viewer`: decides every resolver and filters every list (see graphql/authz.ts). */
  ability: AppAbility;
  /** Adds a `Set-Cookie` header to the HTTP response (a no-op over WebSocket). */
  setCookie(value: string): void;
}
