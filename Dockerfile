# Vitrine's demos in a container: `npm start` (the Fashion-MNIST classifier at /, the other demos
# beside it) on port 7860 as uid 1000, the way a Hugging Face Docker Space runs it.
#   docker build -t vitrine . && docker run -p 7860:7860 vitrine
# BASE_IMAGE: any Debian-based image with Node ≥ 22.18 and npm, and a `node` user of uid 1000
# (node:24-slim has both; `npm run check:docker` builds an equivalent locally, no registry).
ARG BASE_IMAGE=node:24-slim

# The page's element bundle (Lit is a dev dependency, so it is built here, not at start).
FROM ${BASE_IMAGE} AS ui
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY framework/ framework/
COPY ui-components/ ui-components/
COPY scripts/build-ui.ts scripts/
RUN node --conditions=vitrine-source scripts/build-ui.ts

# Production dependencies from the lockfile. onnxruntime-node serves the model but is a dev and
# optional peer dependency of the package (library users choose their runtime), so --omit=dev
# leaves it out, and `npm install` of it in /app would omit it again: it is installed beside, at
# the lockfile's version, and merged in. package.json's allowScripts (npm 11.16+) and the variable
# (older npm) skip its CUDA download. Its
# npm package carries every platform's library (294 MB): only this one's is kept (45 MB).
FROM ${BASE_IMAGE} AS deps
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && ort="$(node -p "require('./package-lock.json').packages['node_modules/onnxruntime-node'].version")" \
 && mkdir /tmp/ort \
 && npm install --prefix /tmp/ort --no-save --no-package-lock --no-audit --no-fund "onnxruntime-node@$ort" \
 && cp -rn /tmp/ort/node_modules/. node_modules/ && rm -rf /tmp/ort \
 && find node_modules/onnxruntime-node/bin/napi-v6 -mindepth 2 -maxdepth 2 ! -path "*/linux/$(node -p process.arch)" -exec rm -rf {} + \
 && node -e "require('onnxruntime-node'); require('sharp')" \
 && npm cache clean --force

FROM ${BASE_IMAGE}
ENV NODE_ENV=production PORT=7860 HOST=0.0.0.0
WORKDIR /app
COPY --chown=1000:1000 --from=deps /app/node_modules/ node_modules/
COPY --chown=1000:1000 package.json server.ts ./
COPY --chown=1000:1000 framework/ framework/
COPY --chown=1000:1000 ui-components/ ui-components/
COPY --chown=1000:1000 apps/ apps/
# After the sources, so the bundle is newer than them and is not rebuilt at start.
COPY --chown=1000:1000 --from=ui /build/dist/ui/ dist/ui/
USER node
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 7860) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--conditions=vitrine-source", "server.ts"]
