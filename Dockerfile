# syntax=docker/dockerfile:1.7
# Steward: one image for the API (`steward serve`), workers (`steward worker`) and one-off commands.
# With `database.url` (STEWARD_DATABASE__URL) it uses that PostgreSQL and starts nothing else; without
# it, it runs its own embedded PostgreSQL server in the /data volume (as the unprivileged `node` user).

# Production dependencies only: what the runtime image holds (test/deployment/production-install.test.ts
# runs every command on exactly this install).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The preinstall step: one line and a failed build on a Node that is too old.
COPY scripts/preflight.cjs ./scripts/preflight.cjs
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

# The build: every dependency, the TypeScript compile, the SDK and the web apps (console, privacy center).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
COPY packages ./packages
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    STEWARD_SERVER__HOST=0.0.0.0 \
    STEWARD_SERVER__PORT=8080
# tini reaps children and forwards SIGTERM so graceful shutdown drains requests and jobs.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY schemas ./schemas
# Steward's working directory is the data volume, so every relative default (./.steward/ for the
# embedded server, keys and packages, ./steward.yaml, ./datamap) lands where the unprivileged user
# may write and a volume keeps it. The folders docker-compose.yml mounts volumes on exist here, owned
# by `node`, so a new named volume starts with that owner.
RUN mkdir -p /data/keys /data/dsr /data/checkpoints && chown -R node:node /data
WORKDIR /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The V8 flags are STEWARD_V8_FLAGS (src/kernel/runtime/v8-flags.ts): a young generation that does not grow with the work.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=8", "/app/dist/app/cli/steward.js"]
CMD ["serve"]
