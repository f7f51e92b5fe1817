/**
 * The edge server as a library (the package's main entry, `points-storefront-kit`): open it inside your own
 * app with `openEdge` and mount `edge.app` under a prefix, or run it standalone with `startEdge`.
 * Integration guide §6.
 */
export { openEdge, startEdge } from './serve.ts';
export type { OpenEdge, OpenEdgeOptions, RunningEdge } from './serve.ts';
export { createEdge } from './edge.ts';
export type { Edge, EdgeOptions } from './edge.ts';
export { ConfigError, configVariables, loadConfig } from './config.ts';
export type { Config } from './config.ts';
export { DatabaseLockedError, openDatabase } from './store/db.ts';
export type { Store } from './store/db.ts';
export { migrateToLatest, migrationNames, pendingMigrations } from './store/migrations.ts';
export { releaseDeadClaims } from './store/release-dead-claims.ts';
export type { OrderUpdatedEvent, ResolveOrder } from './edge-context.ts';
export type { ResolvedOrder } from './orders/resolved-order.ts';
export { signStandardWebhook } from './notify/standard-webhooks.ts';
export type { StandardWebhookHeaders } from './notify/standard-webhooks.ts';
