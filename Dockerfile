# syntax=docker/dockerfile:1
# Parley gateway image (docs/scaling.md, "Deploying three gateways with compose").
#
#   docker build -t parley .
#   docker run -p 3000:3000 -v parley-data:/app/data parley          # embedded SQLite
#   docker run -e PARLEY_STORAGE=postgres -e DATABASE_URL=postgres://... parley
#
# Three stages: `web` bundles the browser code with esbuild (a dev dependency), `deps` installs
# the production dependencies (better-sqlite3 compiles here, hence the compilers), and the final
# image has neither compilers nor dev dependencies.

FROM node:20-bookworm-slim AS web
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .puppeteerrc.cjs ./
# Only esbuild is needed here: no native builds, no browser download.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN node scripts/build-web.mjs

FROM node:20-bookworm-slim AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends build-essential python3 \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# whatsapp-web.js brings puppeteer: it must not download a browser (.puppeteerrc.cjs says so too).
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .puppeteerrc.cjs ./
COPY scripts/ scripts/
# The postinstall (scripts/build-web.mjs) finds no esbuild in a production install and keeps
# the bundles built by the `web` stage.
COPY --from=web /app/web/widget/widget.js web/widget/widget.js
COPY --from=web /app/web/console/console.js web/console/console.js
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
  PUPPETEER_SKIP_DOWNLOAD=true \
  PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules node_modules/
COPY package.json tsconfig.json .puppeteerrc.cjs ./
COPY bin/ bin/
COPY src/ src/
COPY adapters/ adapters/
COPY config/ config/
COPY locales/ locales/
COPY web/ web/
COPY --from=web /app/web/widget/widget.js web/widget/widget.js
COPY --from=web /app/web/console/console.js web/console/console.js
# The embedded SQLite file and other data live in /app/data (storage.dataDir), owned by the
# unprivileged `node` user the gateway runs as.
RUN mkdir -p data && chown node:node data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
# /healthz: the process answers (src/server/health.ts). Node 20 has fetch; the image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/parley.js"]
CMD ["start"]
