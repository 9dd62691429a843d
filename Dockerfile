# syntax=docker/dockerfile:1.7
# Steward: one image for the API (`steward serve`) and for workers (`steward worker`).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The console and the privacy center: vite builds web/ (with the SDK in packages/) into dist/web.
COPY web ./web
COPY packages ./packages
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    STEWARD_SERVER__HOST=0.0.0.0 \
    STEWARD_SERVER__PORT=8080
WORKDIR /app
# tini reaps children and forwards SIGTERM so graceful shutdown drains requests and jobs.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY schemas ./schemas
# Runs as the unprivileged `node` user; the embedded database (if used) lives in /data.
RUN mkdir -p /data && chown node:node /data
USER node
ENV STEWARD_DATABASE__DATA_DIR=/data/db
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The V8 flags are STEWARD_V8_FLAGS (src/runtime/v8-flags.ts): a young generation that does not grow with the work.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=8", "dist/app/cli/steward.js"]
CMD ["serve"]
