# The Points edge server: a small image holding Node.js and the installed kit, nothing else.
#
# Built from a folder where the kit is installed, so the build needs no network and no compiler:
#   mkdir points-edge && cd points-edge
#   npm install --omit=dev points-storefront-kit        # or the tarball: ./points-storefront-kit-0.1.0.tgz
#   cp node_modules/points-storefront-kit/Dockerfile node_modules/points-storefront-kit/compose.yaml .
#   docker build -t points-edge .                        # or: docker compose up --build (edge + Postgres)
#
# Run it read-only and as a non-root user (the image's default):
#   docker run --read-only --tmpfs /tmp -v points-data:/data -p 8787:8787 --env-file .env points-edge
ARG NODE_IMAGE=node:24-bookworm-slim
FROM ${NODE_IMAGE}

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    DATABASE_URL=sqlite:/data/points.db

WORKDIR /app
COPY package.json ./
COPY node_modules ./node_modules
# The SQLite database (the default) lives on a volume the server's user owns. Exec form: no shell needed.
RUN ["node", "-e", "require('node:fs').mkdirSync('/data', { recursive: true }); require('node:fs').chownSync('/data', 1000, 1000)"]
VOLUME /data

# uid 1000 is `node` in the official image; numeric, so no passwd entry is needed.
USER 1000:1000
EXPOSE 8787
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# docker stop sends SIGTERM: the server stops taking requests, finishes the jobs in flight, closes the
# database and logs "edge server stopped cleanly" (give it --stop-timeout 30 under load).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "node_modules/points-storefront-kit/bin/points-edge.js"]
CMD ["serve"]
