import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from '@urql/vue';
import type { CombinedError } from '@urql/vue';
import { createClient as createWsClient } from 'graphql-ws';
import type { Client as WsClient } from 'graphql-ws';
import { shallowRef } from 'vue';

/** The GraphQL endpoint on the page's own origin: the server serves the SPA, Vite proxies it in dev. */
export const GRAPHQL_PATH = '/graphql';

export function graphqlWsUrl(location: Location = window.location): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}${GRAPHQL_PATH}`;
}

/**
 * `extensions.code` of the authorization errors the server throws (graphql/authz.ts):
 * UNAUTHENTICATED (no or expired session), MFA_REQUIRED (second factor still owed),
 * PASSWORD_CHANGE_REQUIRED (an administrator set the password; the user must choose their own).
 */
export type AuthFailure = 'UNAUTHENTICATED' | 'MFA_REQUIRED' | 'PASSWORD_CHANGE_REQUIRED';

let authFailureHandler: ((failure: AuthFailure) => void) | null = null;

/** Called (by the session store) with every authorization failure of any query, mutation or subscription. */
export function onAuthFailure(handler: (failure: AuthFailure) => void): void {
  authFailureHandler = handler;
}

export function authFailureOf(error: CombinedError | undefined | null): AuthFailure | null {
  for (const graphQLError of error?.graphQLErrors ?? []) {
    const code = graphQLError.extensions?.code;
    if (code === 'UNAUTHENTICATED' || code === 'MFA_REQUIRED' || code === 'PASSWORD_CHANGE_REQUIRED') return code;
  }
  return null;
}

/** Close code of a WebSocket whose session ended (server: graphql/socket-sessions.ts). */
const SESSION_ENDED_CLOSE_CODE = 4401;

let wsClient: WsClient | null = null;

/**
 * A client with its own document cache and its own WebSocket. The session cookie is read when the
 * socket opens, so a new sign-in needs a new socket, and a new viewer must not see the old one's
 * cached answers: `resetClient()` replaces both.
 */
function createUrqlClient(): Client {
  wsClient?.dispose();
  // Subscriptions over graphql-ws; lazy, so the socket opens with the first subscription only.
  // The server closes a socket whose session ended (signed out elsewhere, revoked, expired) with 4401,
  // which is final: the app goes to its sign-in page as for any UNAUTHENTICATED answer. 4205 (roles
  // changed) is not final: the client reconnects and subscribes again under the new permissions.
  const ws = createWsClient({
    url: graphqlWsUrl(),
    lazy: true,
    retryAttempts: 20,
    on: {
      closed: (event) => {
        if ((event as { code?: number } | null)?.code === SESSION_ENDED_CLOSE_CODE) authFailureHandler?.('UNAUTHENTICATED');
      },
    },
  });
  wsClient = ws;
  return new Client({
    url: GRAPHQL_PATH,
    // The admin session is a cookie.
    fetchOptions: { credentials: 'include' },
    exchanges: [
      mapExchange({
        onError(error) {
          const failure = authFailureOf(error);
          if (failure) authFailureHandler?.(failure);
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}

/** The current client; `app.use(urql, clientRef)` makes every useQuery follow it when it is replaced. */
export const clientRef = shallowRef<Client>(createUrqlClient());

/** A fresh client and socket (after sign-in, sign-out or a change of the merchant being looked at). */
export function resetClient(): void {
  clientRef.value = createUrqlClient();
}
