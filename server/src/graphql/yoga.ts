import type { Server } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices, GraphQLContext } from './context.ts';
import { schema } from './schema/index.ts';

type ServerContext = { req: FastifyRequest; reply: FastifyReply };

export type Yoga = YogaServerInstance<ServerContext, GraphQLContext>;

export function createGraphQL(services: AppServices): Yoga {
  const production = services.config.NODE_ENV === 'production';
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    logging: {
      debug: (...args) => services.log.debug(args),
      info: (...args) => services.log.info(args),
      warn: (...args) => services.log.warn(args),
      error: (...args) => services.log.error(args),
    },
    maskedErrors: production ? true : { isDev: true },
    graphiql: production ? false : { subscriptionsProtocol: 'WS' },
    landingPage: false,
    context: ({ req }) => ({
      ...services,
      requestId: req?.id ?? crypto.randomUUID(),
      ip: req?.ip,
    }),
  });
}

/** graphql-ws on the same port and path as HTTP GraphQL. */
export function attachSubscriptions(yoga: Yoga, server: Server, services: AppServices): () => Promise<void> {
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const disposable = useServer(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
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
          contextValue: {
            ...(await contextFactory()),
            ...services,
            requestId: crypto.randomUUID(),
            ip: ctx.extra.request.socket.remoteAddress,
          },
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
    await disposable.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}
