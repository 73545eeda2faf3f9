import { SESSION_COOKIE } from './sessions.ts';

/**
 * The session cookie on the wire. HttpOnly (scripts never see it), SameSite=Strict (the SPA is served
 * from the same origin as /graphql, so the cookie is never needed on a cross-site request; this also
 * keeps cross-site requests and WebSocket upgrades from other sites unauthenticated), Path=/, Secure
 * when the public URL is https.
 */

export interface CookieOptions {
  secure: boolean;
}

export function cookieOptionsFor(publicUrl: string): CookieOptions {
  return { secure: publicUrl.startsWith('https://') };
}

/** `Set-Cookie` value that stores the session token until `expiresAt`. */
export function sessionCookie(token: string, expiresAt: Date, opts: CookieOptions): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAge}`,
    `Expires=${expiresAt.toUTCString()}`,
    ...(opts.secure ? ['Secure'] : []),
  ].join('; ');
}

/** `Set-Cookie` value that removes the session cookie. */
export function clearedSessionCookie(opts: CookieOptions): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT', ...(opts.secure ? ['Secure'] : [])].join('; ');
}

/** The value of one cookie in a `Cookie` header (first occurrence), or undefined. */
export function readCookie(header: string | string[] | null | undefined, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (!text) return undefined;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
