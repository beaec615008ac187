# syntax=docker/dockerfile:1
# ews: multi-stage build. The build stage compiles TypeScript and the native addon (better-sqlite3);
# with internet access the optional @tensorflow/tfjs-node installs here too and ews uses it at run time.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
# Full install (dev dependencies compile the TypeScript; `prepare` runs the build).
RUN npm ci --include=optional --no-audit --no-fund
# Keep production dependencies only (optional ones included: tfjs-node when it installed).
RUN npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    EWS_HOST=0.0.0.0 \
    EWS_PORT=3000 \
    EWS_DB=/var/lib/ews/ews.db \
    EWS_LOAD_SAMPLE=0 \
    TZ=UTC \
    MALLOC_TRIM_THRESHOLD_=268435456
# MALLOC_TRIM_THRESHOLD_: glibc keeps freed heap memory instead of shrinking and regrowing the heap under
# batch load (docs/service.md); it only takes effect when set before the process starts.
# Keys: mount a keys file (EWS_KEYS_FILE, sha256 hashes; `ews keys new` makes entries). Without keys
# the service generates an admin key and stays on loopback, reachable only by the health check.
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY models ./models
COPY config ./config
COPY data/sample ./data/sample
RUN mkdir -p /var/lib/ews && chown -R node:node /var/lib/ews
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.EWS_PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/ews.js"]
CMD ["serve"]
