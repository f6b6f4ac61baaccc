# Smartplace: ingest + web server (+ demo simulator). Two stages: the first builds the browser
# client with the dev toolchain, the second carries only runtime dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build:client

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/client/dist ./client/dist
COPY cli ./cli
COPY core ./core
COPY db ./db
COPY geo ./geo
COPY ingest ./ingest
COPY server ./server
COPY simulator ./simulator
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "--import", "tsx", "cli/smartplace.ts", "start"]
