# syntax=docker/dockerfile:1

# Payrail image: one image for the app replicas (`npm run start --workspace server`) and for
# worker-only processes (`npm run worker --workspace server`). See docker-compose.yml.
# server/test/compose.test.ts checks this file against the compose file and the package scripts.

# ---- build: install dependencies (which also generates the Prisma client), build the admin SPA and
# compile the server ahead of time (server/dist, stamped with its sources' hash: the start finds it
# current and runs it without compiling anything)
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Manifests first, so `npm ci` is reused until a manifest, the lockfile or the Prisma schema changes.
# The Prisma schema and prisma.config.ts are needed here: the root postinstall runs `prisma generate`
# (into server/src/generated, which .dockerignore keeps out of the context).
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY web/package.json web/
COPY prisma/schema.prisma prisma/
COPY prisma.config.ts ./
RUN --mount=type=cache,target=/root/.npm npm ci

COPY . .
RUN npm run build --workspace web \
 && npm run build --workspace server \
 && npm prune --omit=dev

# ---- runtime
FROM node:24-bookworm-slim AS runtime
# HOST: the server listens on loopback unless told otherwise; in a container it must take connections
# from the published port.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    PAYRAIL_DATA_DIR=/var/lib/payrail \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
WORKDIR /app
# Only used without DATABASE_URL (embedded PostgreSQL); it must be writable by the unprivileged user.
RUN mkdir -p /var/lib/payrail && chown 1000:1000 /var/lib/payrail
# Root-owned and read-only for the process: sources, node_modules, the generated Prisma client,
# prisma/migrations (applied at start), server/dist and web/dist.
COPY --from=build /app ./
# 1000 is the image's `node` user; numeric so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 4000
# Slim images have no curl: probe with node's fetch. Worker-only containers serve no HTTP: disable it there.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "start", "--workspace", "server"]
