/**
 * The edge server as a library (the package's main entry, `points-storefront-kit`): open it inside your own
 * app with `openEdge` and mount `edge.app` under a prefix, or run it standalone with `startEdge`.
 * Integration guide §6. This is the Node (Bun, Deno) entry: it builds the edge with the Node runtime's ports
 * (`runtime/node/`).
 */
export { openEdge, startEdge } from './runtime/node/serve.ts';
export type { OpenEdge, OpenEdgeOptions, RunningEdge } from './runtime/node/serve.ts';
export { createEdge } from './runtime/node/edge.ts';
export type { NodeEdgeOptions as EdgeOptions } from './runtime/node/edge.ts';
export type { Edge } from './edge.ts';
export type { RuntimePorts } from './runtime/ports.ts';
export { ConfigError, configVariables } from './config.ts';
export { loadConfig } from './runtime/node/config.ts';
export type { Config } from './config.ts';
export { DatabaseLockedError, openDatabase } from './runtime/node/store/open-database.ts';
export type { Store } from './store/db.ts';
export { migrateToLatest, migrationNames, pendingMigrations } from './store/migrations.ts';
export { releaseDeadClaims } from './store/release-dead-claims.ts';
export type { OrderUpdatedEvent, ResolveOrder } from './edge-context.ts';
export type { ResolvedOrder } from './orders/resolved-order.ts';
export { signStandardWebhook } from './notify/standard-webhooks.ts';
export type { StandardWebhookHeaders } from './notify/standard-webhooks.ts';
