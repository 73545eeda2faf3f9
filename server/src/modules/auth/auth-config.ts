import type { Config } from '../../config/config.ts';
import { cookieOptionsFor, type CookieOptions } from './cookies.ts';
import { DEFAULT_SESSION_TIMEOUTS, type SessionTimeouts } from './sessions.ts';

export interface AuthSettings {
  sessions: SessionTimeouts;
  /** Failed logins (password or second factor) within `lockoutWindowMs` that lock the account. */
  lockoutThreshold: number;
  lockoutWindowMs: number;
  /** How long a locked account stays locked. */
  lockoutMs: number;
  /** Login attempts per client IP per minute (0 = unlimited). */
  loginRatePerMinute: number;
  /** Users holding a GLOBAL role must pass TOTP. */
  requireStaffMfa: boolean;
  cookie: CookieOptions;
  /** Issuer shown by authenticator apps. */
  totpIssuer: string;
}

const cache = new WeakMap<object, AuthSettings>();

/**
 * Auth settings from the configuration. `AUTH_REQUIRE_STAFF_MFA` unset means true, except for the
 * zero-setup demo (embedded database, not production), where staff may sign in with password only.
 */
export function authSettings(config: Config): AuthSettings {
  const hit = cache.get(config);
  if (hit) return hit;
  const env = config;
  const embeddedDemo = !env.DATABASE_URL && env.NODE_ENV !== 'production';
  const settings: AuthSettings = {
    sessions: {
      idleMs: env.AUTH_SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: env.AUTH_SESSION_ABSOLUTE_HOURS * 60 * 60_000,
      touchEveryMs: DEFAULT_SESSION_TIMEOUTS.touchEveryMs,
    },
    lockoutThreshold: env.AUTH_LOCKOUT_THRESHOLD,
    lockoutWindowMs: env.AUTH_LOCKOUT_WINDOW_MINUTES * 60_000,
    lockoutMs: env.AUTH_LOCKOUT_MINUTES * 60_000,
    loginRatePerMinute: env.AUTH_LOGIN_RATE_PER_MINUTE,
    requireStaffMfa: env.AUTH_REQUIRE_STAFF_MFA ?? !embeddedDemo,
    cookie: cookieOptionsFor(config.publicUrl),
    totpIssuer: 'Payrail',
  };
  cache.set(config, settings);
  return settings;
}
