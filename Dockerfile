# Parley's image: the standalone server (`output: "standalone"` in next.config.ts) on Node 24, as a non-root user.
#   docker build -t parley .
#   docker run -p 3000:3000 -v parley-data:/data parley      # embedded database in the volume
#   AUTH_SECRET=$(openssl rand -hex 32) docker compose up     # with PostgreSQL and Redis (docker-compose.yml)
# tests/unit/docker.test.ts checks this file against the app, and tests/resilience/docker-standalone.test.ts lays
# out a folder with this file's runtime-stage COPY lines and runs its CMD: keep them in step.

# Dependencies alone, so that a code change does not re-run npm ci.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

FROM node:24-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

# Only what the standalone server needs: its own traced node_modules (PGlite's WASM included), the migrations
# (./drizzle, which it runs at start) and the static files, which `next build` leaves outside .next/standalone.
FROM node:24-slim AS runtime
WORKDIR /app
# HOSTNAME: Docker sets it to the container's id, and the standalone server would listen on that name only.
# PARLEY_DATA_DIR: the embedded database, when DATABASE_URL is unset (mount a volume there).
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    PARLEY_DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/.next/static ./.next/static
# The official image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# No curl in slim images: Node's fetch. A first start on the embedded database runs initdb (several seconds).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself, so replies under way finish before it exits.
CMD ["node", "server.js"]
