import { sql, type Kysely } from 'kysely';
import type { Store } from './db.ts';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';

/**
 * Every schema change, in order (as SQL files for `wrangler d1 migrations`: `migration-sql.ts`). Portable SQL only: text, integer and bigint columns, epoch-ms
 * timestamps, JSON stored as text. Never edit a migration that has shipped; add a new one.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('orders')
        .addColumn('order_number', 'text', (col) => col.primaryKey())
        .addColumn('type', 'text', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('points_uuid', 'text', (col) => col.unique())
        .addColumn('reference_number', 'text')
        .addColumn('points_status', 'text')
        .addColumn('points_updated_at', 'text')
        .addColumn('shipping_status', 'text')
        .addColumn('expected_total_halalas', 'bigint', (col) => col.notNull())
        .addColumn('settled_total_halalas', 'bigint')
        .addColumn('refunded_halalas', 'bigint', (col) => col.notNull().defaultTo(0))
        .addColumn('total_points', 'bigint')
        .addColumn('checkout_url', 'text')
        .addColumn('checkout_expires_at', 'bigint')
        .addColumn('details', 'text', (col) => col.notNull().defaultTo('{}'))
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('orders_state_idx').on('orders').columns(['state', 'updated_at']).execute();
      await db.schema.createIndex('orders_reference_idx').on('orders').column('reference_number').execute();

      await db.schema
        .createTable('webhook_receipts')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('dedupe_key', 'text', (col) => col.unique())
        .addColumn('event', 'text', (col) => col.notNull())
        .addColumn('points_order_id', 'text')
        .addColumn('raw_body', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('error', 'text')
        .addColumn('received_at', 'bigint', (col) => col.notNull())
        .addColumn('processed_at', 'bigint')
        .execute();
      await db.schema
        .createIndex('webhook_receipts_order_idx')
        .on('webhook_receipts')
        .column('points_order_id')
        .execute();

      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('lane', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('payload', 'text', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('run_at', 'bigint', (col) => col.notNull())
        .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (col) => col.notNull())
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('jobs_claim_idx').on('jobs').columns(['lane', 'state', 'run_at']).execute();

      await db.schema
        .createTable('leases')
        .addColumn('name', 'text', (col) => col.primaryKey())
        .addColumn('holder', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['leases', 'jobs', 'webhook_receipts', 'orders']) {
        await sql`drop table if exists ${sql.table(table)}`.execute(db);
      }
    },
  },
  '0002_earnings': {
    async up(db: Kysely<unknown>) {
      // One row per earning call we were asked for: the idempotency ledger of the earning lane.
      await db.schema
        .createTable('earnings')
        .addColumn('key', 'text', (col) => col.primaryKey())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('reference', 'text', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('request', 'text', (col) => col.notNull())
        .addColumn('points_uuid', 'text')
        .addColumn('total_points', 'bigint')
        .addColumn('pending_id', 'bigint')
        .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists earnings`.execute(db);
    },
  },
  '0003_edge_keys': {
    async up(db: Kysely<unknown>) {
      // Keys the edge keeps for itself across restarts and Points key rotations (see status-token-key.ts).
      await db.schema
        .createTable('edge_keys')
        .addColumn('name', 'text', (col) => col.primaryKey())
        .addColumn('value', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists edge_keys`.execute(db);
    },
  },
  '0004_adopted_orders': {
    async up(db: Kysely<unknown>) {
      // When an order Points has under our keys was first seen without a row here (see adopt-order.ts).
      await db.schema.alterTable('orders').addColumn('adopted_at', 'bigint').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('orders').dropColumn('adopted_at').execute();
    },
  },
  '0005_callback_nonce': {
    async up(db: Kysely<unknown>) {
      // SHA-256s of the nonces in the order's checkout sessions' callback_url (see orders/callback-nonce.ts).
      await db.schema.alterTable('orders').addColumn('callback_nonce_hashes', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('orders').dropColumn('callback_nonce_hashes').execute();
    },
  },
  '0006_connectors': {
    async up(db: Kysely<unknown>) {
      // Receipts of store platforms' webhooks sit beside Points' own: `source` says whose, `subject` names
      // the connector order (or review) a delivery is about.
      await db.schema
        .alterTable('webhook_receipts')
        .addColumn('source', 'text', (col) => col.notNull().defaultTo('points'))
        .execute();
      await db.schema.alterTable('webhook_receipts').addColumn('subject', 'text').execute();
      await db.schema
        .createIndex('webhook_receipts_subject_idx')
        .on('webhook_receipts')
        .columns(['source', 'subject'])
        .execute();

      // One row per platform order or review: what the platform told us, and what we did at Points.
      await db.schema
        .createTable('connector_orders')
        .addColumn('key', 'text', (col) => col.primaryKey())
        .addColumn('platform', 'text', (col) => col.notNull())
        .addColumn('store_id', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('reference', 'text')
        .addColumn('facts', 'text', (col) => col.notNull())
        .addColumn('outcome', 'text', (col) => col.notNull())
        .addColumn('reason', 'text')
        .addColumn('points_uuid', 'text')
        .addColumn('earned_halalas', 'bigint')
        .addColumn('earned_points', 'bigint')
        .addColumn('reversed_halalas', 'bigint', (col) => col.notNull().defaultTo(0))
        .addColumn('deliveries', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('last_delivery_at', 'bigint')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('connector_orders_outcome_idx')
        .on('connector_orders')
        .columns(['platform', 'outcome', 'updated_at'])
        .execute();
      await db.schema
        .createIndex('connector_orders_reference_idx')
        .on('connector_orders')
        .column('reference')
        .execute();

      // How far each catch-up sweep has read a platform's order list (epoch ms of the newest change seen).
      await db.schema
        .createTable('connector_cursors')
        .addColumn('name', 'text', (col) => col.primaryKey())
        .addColumn('position', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists connector_cursors`.execute(db);
      await sql`drop table if exists connector_orders`.execute(db);
      await db.schema.dropIndex('webhook_receipts_subject_idx').execute();
      await db.schema.alterTable('webhook_receipts').dropColumn('subject').execute();
      await db.schema.alterTable('webhook_receipts').dropColumn('source').execute();
    },
  },
  '0007_console_sessions': {
    async up(db: Kysely<unknown>) {
      // Operator console sign-ins: only the SHA-256 of each session id is kept (see server/console).
      await db.schema
        .createTable('console_sessions')
        .addColumn('id_hash', 'text', (col) => col.primaryKey())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('console_sessions_expires_idx')
        .on('console_sessions')
        .column('expires_at')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists console_sessions`.execute(db);
    },
  },
  '0008_rate_windows': {
    async up(db: Kysely<unknown>) {
      // Rate-limit windows every instance on the database counts in (server/http/store-rate-limiter.ts).
      await db.schema
        .createTable('rate_windows')
        .addColumn('key', 'text', (col) => col.primaryKey())
        .addColumn('hits', 'bigint', (col) => col.notNull())
        .addColumn('ends_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('rate_windows_ends_idx').on('rate_windows').column('ends_at').execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists rate_windows`.execute(db);
    },
  },
  '0009_console_audit': {
    async up(db: Kysely<unknown>) {
      // What each console operator did (sign-in, refund, replay, …), with the result (see server/console).
      await db.schema
        .createTable('console_audit')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('at', 'bigint', (col) => col.notNull())
        .addColumn('operator', 'text', (col) => col.notNull())
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('subject', 'text')
        .addColumn('request', 'text')
        .addColumn('result', 'text', (col) => col.notNull())
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('console_audit_at_idx').on('console_audit').column('at').execute();
      await db.schema
        .createIndex('console_audit_subject_idx')
        .on('console_audit')
        .columns(['subject', 'at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists console_audit`.execute(db);
    },
  },
  '0010_alerts': {
    async up(db: Kysely<unknown>) {
      // Alerts as they fired, for the console (server/observability/alert-store.ts). `open_kind` is the kind
      // while the row is open and null once closed: one open row a kind, whichever instance fired it.
      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('open_kind', 'text', (col) => col.unique())
        .addColumn('count', 'bigint', (col) => col.notNull())
        .addColumn('firings', 'integer', (col) => col.notNull())
        .addColumn('window_ms', 'bigint', (col) => col.notNull())
        .addColumn('detail', 'text')
        .addColumn('first_fired_at', 'bigint', (col) => col.notNull())
        .addColumn('last_fired_at', 'bigint', (col) => col.notNull())
        .addColumn('posted_until', 'bigint', (col) => col.notNull())
        .addColumn('acknowledged_at', 'bigint')
        .addColumn('acknowledged_by', 'text')
        .execute();
      await db.schema.createIndex('alerts_last_fired_idx').on('alerts').column('last_fired_at').execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists alerts`.execute(db);
    },
  },
  '0011_intake_latency': {
    async up(db: Kysely<unknown>) {
      // How long the intake took to answer each stored delivery, for the console's charts; and the
      // index their day ranges read.
      await db.schema.alterTable('webhook_receipts').addColumn('intake_ms', 'integer').execute();
      await db.schema
        .createIndex('webhook_receipts_received_idx')
        .on('webhook_receipts')
        .column('received_at')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('webhook_receipts_received_idx').execute();
      await db.schema.alterTable('webhook_receipts').dropColumn('intake_ms').execute();
    },
  },
  '0012_console_operators': {
    async up(db: Kysely<unknown>) {
      // Named console operators (server/console/operators.ts). Sessions from before name no one: they end
      // here (one sign-in again). Audit lines from before were all ADMIN_TOKEN's, so they are admin's.
      await sql`delete from console_sessions`.execute(db);
      for (const column of ['operator_name', 'operator_role', 'operator_proof']) {
        await db.schema
          .alterTable('console_sessions')
          .addColumn(column, 'text', (col) => col.notNull().defaultTo(''))
          .execute();
      }
      await db.schema
        .alterTable('console_audit')
        .addColumn('session', 'text', (col) => col.notNull().defaultTo(''))
        .execute();
      await sql`update console_audit set session = operator, operator = 'admin'`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await sql`update console_audit set operator = session`.execute(db);
      await db.schema.alterTable('console_audit').dropColumn('session').execute();
      for (const column of ['operator_name', 'operator_role', 'operator_proof']) {
        await db.schema.alterTable('console_sessions').dropColumn(column).execute();
      }
    },
  },
  '0013_orders_reconciled_at': {
    async up(db: Kysely<unknown>) {
      // A pass cut short (a Worker's subrequest limit) goes on next time with the orders least recently checked.
      await db.schema.alterTable('orders').addColumn('reconciled_at', 'bigint').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('orders').dropColumn('reconciled_at').execute();
    },
  },
};

/** Names of every migration this version knows, in order. */
export const migrationNames = Object.keys(migrations);

async function migrator(store: Store): Promise<Migrator> {
  // Kysely looks for its bookkeeping tables in every schema; name ours so that a second deployment in
  // another schema of the same Postgres database (or a parallel test) keeps its own. (Our dialect's
  // introspector reads only this schema anyway: see current-schema-introspector.ts.)
  const schema =
    store.engine === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]?.schema
      : undefined;
  return new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'points_migrations',
    migrationLockTableName: 'points_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/**
 * Brings the schema up to date; safe to run from several instances at once (Kysely takes a lock).
 * Throws with the failing migration's name when one fails.
 */
export async function migrateToLatest(store: Store): Promise<MigrationResultSet> {
  const result = await (await migrator(store)).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((item) => item.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`);
  }
  return result;
}

/** Migrations not yet applied (for `doctor` and `/readyz`). */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const all = await (await migrator(store)).getMigrations();
  return all.filter((item) => !item.executedAt).map((item) => item.name);
}
