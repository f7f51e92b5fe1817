/**
 * The edge server as `startEdge` builds it, plus `POST /bare` (a Hono route that only answers 200) on
 * the same app, port and process, so the cost of a real route can be compared with an empty one.
 * The job worker is not started, and not woken by the webhook route either (`wake()` runs due jobs even
 * on a worker never started): the benches measure the HTTP path (webhook acknowledgement, checkout),
 * not background processing, which would otherwise call a Points that is not there and retry.
 * Configured from the environment like `node server/main.ts`.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../server/runtime/node/config.ts';
import { createEdge } from '../../server/runtime/node/edge.ts';
import { openDatabase } from '../../server/runtime/node/store/open-database.ts';
import { migrateToLatest } from '../../server/store/migrations.ts';

const config = loadConfig(process.env);
const store = await openDatabase(config.databaseUrl);
await migrateToLatest(store);
const edge = await createEdge({ config, store });
edge.context.wakeWorker = () => {};

const bare = new Hono().post('/bare', (c) => c.json({ received: true }));
// Everything else is `edge.app.fetch` itself, as `node server/main.ts` serves it. Mounting the edge with
// `app.route()` instead would wrap each of its handlers in an error-handling layer production does not have.
const fetch = (request: Request, env: unknown) =>
  request.url.endsWith('/bare') ? bare.fetch(request, env) : edge.app.fetch(request, env);

const server = serve({ fetch, port: config.port, hostname: config.host }, (info: AddressInfo) =>
  console.log(`edge bench server: http://${config.host}:${info.port}`),
);
process.once('SIGTERM', () => server.close(() => void store.close().then(() => process.exit(0))));
