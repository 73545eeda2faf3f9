import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/vue';
import { createClient as createWsClient } from 'graphql-ws';

/** The GraphQL endpoint on the page's own origin: the server serves the SPA, Vite proxies it in dev. */
export const GRAPHQL_PATH = '/graphql';

export function graphqlWsUrl(location: Location = window.location): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}${GRAPHQL_PATH}`;
}

/** Subscriptions over graphql-ws; lazy, so the socket opens with the first subscription only. */
export const wsClient = createWsClient({
  url: graphqlWsUrl(),
  lazy: true,
});

export const client = new Client({
  url: GRAPHQL_PATH,
  // The admin session is a cookie.
  fetchOptions: { credentials: 'include' },
  exchanges: [
    cacheExchange,
    fetchExchange,
    subscriptionExchange({
      forwardSubscription(request) {
        const input = { ...request, query: request.query ?? '' };
        return {
          subscribe(sink) {
            const unsubscribe = wsClient.subscribe(input, sink);
            return { unsubscribe };
          },
        };
      },
    }),
  ],
});
