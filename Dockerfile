# Archivist as an image: the production steps of docs/deploy.md (npm ci → build → prune), in two stages,
# run as a non-root user. Not built on the development machine (no Docker engine there): the same steps
# are what tests/production.e2e.test.ts runs.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY build ./build
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The archive replica (or folder) and the saved index live on volumes the non-root user owns.
RUN mkdir -p /data /cache && chown node:node /data /cache
USER node
ENV DATA_DIR=/data CACHE_DIR=/cache HEALTH_PORT=8080 HEALTH_HOST=0.0.0.0
EXPOSE 8080
# npm start is the one entry point (package.json): it execs node on the build, so SIGTERM reaches the bot.
CMD ["npm", "start", "--silent"]
