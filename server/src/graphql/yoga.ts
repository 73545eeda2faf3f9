import type { IncomingMessage, Server } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defineAbilityFor } from '../modules/auth/ability.ts';
import { resolveViewer } from '../modules/auth/principal.ts';
import type { AppServices } from '../services.ts';
import type { GraphQLContext } from './context.ts';
import { presentError } from './errors.ts';
import { hardeningPlugin, loadAllowList, operationAllowed, OperationNotAllowedError } from './hardening.ts';
import { schema } from './schema/index.ts';
import { createSubscriptionSharing } from './live/shared-subscriptions.ts';
import { watchSocketSessions } from './socket-sessions.ts';

type ServerContext = { req: FastifyRequest; reply: FastifyReply };

/** The viewer part of the context, from an HTTP request or a WebSocket upgrade request (same cookie). */
async function authContext(
  services: AppServices,
  req: { headers: IncomingMessage['headers'] },
  ip: string | undefined,
): Promise<Pick<GraphQLContext, 'viewer' | 'ability' | 'userAgent'>> {
  const viewer = await resolveViewer(services, { headers: req.headers, ip: ip ?? null });
  const userAgent = req.headers['user-agent'];
  return { viewer, ability: defineAbilityFor(viewer), userAgent: typeof userAgent === 'string' ? userAgent : undefined };
}

export type Yoga = YogaServerInstance<ServerContext, GraphQLContext>;

export function hardeningOptions(config: AppServices['config']) {
  const production = config.NODE_ENV === 'production';
  return {
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxCost: config.GRAPHQL_MAX_COST,
    maxTokens: config.GRAPHQL_MAX_TOKENS,
    introspection: config.GRAPHQL_INTROSPECTION ?? !production,
    allowList: (config.GRAPHQL_ALLOW_LIST ?? production) ? loadAllowList(config.GRAPHQL_ALLOW_LIST_FILE) : null,
  };
}

export function createGraphQL(services: AppServices): Yoga {
  const production = services.config.NODE_ENV === 'production';
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    plugins: [hardeningPlugin(hardeningOptions(services.config))],
    graphqlEndpoint: '/graphql',
    // Yoga's default reflects any Origin with credentials; cross-origin access is decided for every
    // route alike in http/cors.ts (CORS_ORIGINS).
    cors: false,
    logging: {
      debug: (...args) => services.log.debug(args),
      info: (...args) => services.log.info(args),
      warn: (...args) => services.log.warn(args),
      error: (...args) => services.log.error(args),
    },
    maskedErrors: { maskError: presentError, isDev: !production },
    graphiql: production ? false : { subscriptionsProtocol: 'WS' },
    landingPage: false,
    // HTTP: `req` is the Fastify request. WebSocket (attachSubscriptions): `req` is the upgrade request
    // (an IncomingMessage, no `ip`, `id` or `reply`).
    context: async ({ req, reply }): Promise<GraphQLContext> => {
      const ip = req.ip ?? (req as unknown as IncomingMessage).socket?.remoteAddress;
      return {
        ...services,
        requestId: req.id ?? crypto.randomUUID(),
        ip,
        ...(await authContext(services, req, ip)),
        setCookie: (value) => {
          reply?.header('set-cookie', value);
        },
      };
    },
  });
}

/** graphql-ws on the same port and path as HTTP GraphQL. */
export function attachSubscriptions(yoga: Yoga, server: Server, services: AppServices): () => Promise<void> {
  const { allowList, maxTokens } = hardeningOptions(services.config);
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: 256 * 1024,
    // Cross-site WebSocket hijacking: a browser sends its Origin; a page of another site (unless listed
    // in CORS_ORIGINS) may not open a socket here (whatever cookies it might carry). Servers' clients
    // send no Origin and are let in.
    verifyClient: ({ origin, req }: { origin?: string; req: IncomingMessage }) =>
      originAllowed(origin, req.headers.host, services.config.publicUrl) || (origin !== undefined && services.config.CORS_ORIGINS.includes(origin)),
  });
  // Sockets end with their session (sign-out, revocation, expiry) and reconnect when abilities change.
  const sessions = watchSocketSessions(services, services.config.WS_SESSION_CHECK_SECONDS * 1000);
  // Subscribers who would get the same answers share one execution per event (live/shared-subscriptions.ts).
  const sharing = createSubscriptionSharing();
  const disposable = useServer(
    {
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        socket.once('close', () => sessions.untrack(socket));
        await sessions.track(socket, ctx.extra.request);
        return true;
      },
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => sharing(args, () => args.rootValue.subscribe(args)),
      onSubscribe: async (ctx, _id, payload) => {
        if (!operationAllowed(allowList, ctx.extra.request.headers, payload.query, maxTokens)) return [new OperationNotAllowedError()];
        const { schema: envelopedSchema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        const args = {
          schema: envelopedSchema,
          operationName: payload.operationName,
          document: parse(payload.query),
          variableValues: payload.variables,
          // contextFactory runs the `context` function above with the WebSocket upgrade request, which
          // carries the same session cookie as HTTP: viewer and ability are resolved for every operation,
          // so a logged-out session stops authorising new subscriptions.
          contextValue: {
            ...((await contextFactory()) as GraphQLContext),
            requestId: crypto.randomUUID(),
            ip: ctx.extra.request.socket.remoteAddress,
            setCookie: () => {},
          } satisfies GraphQLContext,
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
  );
  return async () => {
    sessions.stop();
    await disposable.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}

/** A WebSocket's Origin may be absent (not a browser), or name this server as the browser reached it (Host) or PUBLIC_URL. */
export function originAllowed(origin: string | undefined, host: string | undefined, publicUrl: string): boolean {
  if (origin === undefined || origin === '') return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  if (host && originHost === host.toLowerCase()) return true;
  try {
    return originHost === new URL(publicUrl).host.toLowerCase();
  } catch {
    return false;
  }
}
