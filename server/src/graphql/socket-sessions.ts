import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { resolveViewer, type ViewerServices } from '../modules/auth/principal.ts';
import type { Viewer } from '../modules/auth/viewer.ts';
import type { Logger } from '../lib/logger.ts';

/**
 * Open GraphQL WebSockets follow the credential they were opened with. A subscription's viewer and
 * ability are fixed when it starts, so without this a signed-out, revoked, expired or disabled session
 * (or a revoked API token) would keep receiving live payment events for as long as the socket stays up,
 * and a user whose roles changed would keep the old ability.
 *
 * Every `intervalMs` each distinct credential of the open sockets is resolved again (one query per
 * credential; a session's idle clock is not refreshed by this, so an unattended screen still times out):
 * - gone (signed out, revoked, expired, user disabled, token revoked): the sockets close with 4401,
 *   which graphql-ws clients treat as final (the admin app then shows its sign-in page);
 * - different permissions, merchant or second-factor state: the sockets close with 4205, and clients
 *   reconnect and subscribe again under the new ability.
 */

export const SESSION_ENDED_CLOSE = { code: 4401, reason: 'Session ended' } as const;
export const ABILITY_CHANGED_CLOSE = { code: 4205, reason: 'Permissions changed, reconnect' } as const;

interface Tracked {
  credential: string;
  fingerprint: string;
}

export interface SocketSessions {
  /** Starts following a socket opened with `request`'s credential (anonymous sockets are not followed). */
  track(socket: WebSocket, request: IncomingMessage): Promise<void>;
  untrack(socket: WebSocket): void;
  /** One round of checks (the timer calls it; tests may too). */
  check(): Promise<void>;
  stop(): void;
}

export function watchSocketSessions(services: ViewerServices & { log: Logger }, intervalMs: number): SocketSessions {
  const sockets = new Map<WebSocket, Tracked>();
  let running: Promise<void> | null = null;

  const viewerOf = (headers: IncomingMessage['headers']) => resolveViewer(services, { headers }, { touch: false });

  async function checkOnce(): Promise<void> {
    const byCredential = new Map<string, { headers: IncomingMessage['headers']; sockets: [WebSocket, Tracked][] }>();
    for (const [socket, tracked] of sockets) {
      const group = byCredential.get(tracked.credential) ?? { headers: credentialHeaders(tracked.credential), sockets: [] };
      group.sockets.push([socket, tracked]);
      byCredential.set(tracked.credential, group);
    }
    for (const group of byCredential.values()) {
      let fingerprint: string | null;
      try {
        fingerprint = fingerprintOf(await viewerOf(group.headers));
      } catch (error) {
        services.log.warn({ err: error }, 'socket session check failed; will retry');
        continue;
      }
      for (const [socket, tracked] of group.sockets) {
        if (fingerprint === null) close(socket, SESSION_ENDED_CLOSE);
        else if (fingerprint !== tracked.fingerprint) close(socket, ABILITY_CHANGED_CLOSE);
      }
    }
  }

  function close(socket: WebSocket, how: { code: number; reason: string }): void {
    sockets.delete(socket);
    socket.close(how.code, how.reason);
  }

  const check = (): Promise<void> => {
    running ??= checkOnce().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();

  return {
    async track(socket, request) {
      const credential = credentialOf(request.headers);
      if (!credential) return;
      const fingerprint = fingerprintOf(await viewerOf(request.headers));
      if (fingerprint === null) return;
      if (socket.readyState === socket.OPEN) sockets.set(socket, { credential, fingerprint });
    },
    untrack(socket) {
      sockets.delete(socket);
    },
    check,
    stop() {
      clearInterval(timer);
      sockets.clear();
    },
  };
}

/** What decides a subscriber's ability; null when the credential no longer authenticates anyone. */
function fingerprintOf(viewer: Viewer): string | null {
  switch (viewer.kind) {
    case 'anonymous':
      return null;
    case 'user':
      return ['user', viewer.userId, viewer.merchantId ?? '', viewer.global, viewer.mfaVerified, viewer.passwordChangeRequired, [...viewer.permissions].sort((a, b) => a - b).join(',')].join('|');
    case 'token':
      return ['token', viewer.tokenId, viewer.merchantId, [...viewer.permissions].sort((a, b) => a - b).join(',')].join('|');
  }
}

/**
 * The headers resolveViewer reads, kept as one string: the bearer token when there is one (it alone
 * decides), else the Cookie header.
 */
function credentialOf(headers: IncomingMessage['headers']): string | null {
  const authorization = headers.authorization;
  if (authorization) return `authorization\n${authorization}`;
  const cookie = headers.cookie;
  return cookie ? `cookie\n${cookie}` : null;
}

function credentialHeaders(credential: string): IncomingMessage['headers'] {
  const [name, value] = credential.split('\n', 2) as [string, string];
  return { [name]: value };
}
