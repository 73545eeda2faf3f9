import type { RequestContext } from '../modules/auth/authorize.ts';

/**
 * Per-request GraphQL context: the request context every operation takes (process services, viewer,
 * ability; see modules/auth/authorize.ts), plus what only HTTP GraphQL has.
 */
export interface GraphQLContext extends RequestContext {
  /** Adds a `Set-Cookie` header to the HTTP response (a no-op over WebSocket). */
  setCookie(value: string): void;
}
