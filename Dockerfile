# syntax=docker/dockerfile:1
# Parley gateway image (docs/scaling.md, "Deploying three gateways with compose").
#
#   docker build -t parley .
#   docker run -p 3000:3000 -v parley-data:/app/data parley          # embedded SQLite
#   docker run -e PARLEY_STORAGE=postgres -e DATABASE_URL=postgres://... parley
#
# Two stages: `build` installs the production dependencies (better-sqlite3 compiles here, hence
# the compilers) and bundles the browser code; the final image has no compilers.
#
# Why no separate dev install for the bundles: esbuild is a production dependency (tsx runs the
# TypeScript sources with it), so `npm ci --omit=dev` has it, and its postinstall
# (scripts/build-web.mjs) would bundle web/ before the sources are copied. Install scripts are
# therefore skipped in `npm ci` and run where they are wanted: better-sqlite3's build next, the
# bundles once the sources are in. puppeteer's (a browser download) never runs.

FROM node:20-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends build-essential python3 \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# whatsapp-web.js brings puppeteer: it must not download a browser (.puppeteerrc.cjs says so too).
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm rebuild better-sqlite3
COPY . .
# web/widget/widget.js, web/console/console.js and web/console/reports.js, from web/*/src, locales/ and src/core/.
RUN node scripts/build-web.mjs

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
  PUPPETEER_SKIP_DOWNLOAD=true \
  PORT=3000
WORKDIR /app
# Debian's ffmpeg converts WeChat/WeCom AMR voice notes for transcription (docs/media.md#transcription):
#   docker build --build-arg WITH_FFMPEG=true -t parley .
ARG WITH_FFMPEG=false
RUN if [ "$WITH_FFMPEG" = "true" ]; then apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*; fi
COPY --from=build /app/node_modules node_modules/
COPY --from=build /app/package.json /app/tsconfig.json /app/.puppeteerrc.cjs ./
COPY --from=build /app/bin bin/
COPY --from=build /app/src src/
COPY --from=build /app/adapters adapters/
COPY --from=build /app/config config/
COPY --from=build /app/locales locales/
COPY --from=build /app/web web/
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
