# syntax=docker/dockerfile:1
# Build stage: full dependencies, compile TypeScript.
# Node pinned to a minor version: rebuilds get patch releases only.
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies and compiled code only, as a non-root user.
FROM node:20.20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
# Run node directly: npm does not forward SIGTERM, and shutdown must be clean and quick. The heap
# limit is npm start's (package.json; docs/performance.md says why).
CMD ["node", "--max-old-space-size=1024", "dist/main.js"]
