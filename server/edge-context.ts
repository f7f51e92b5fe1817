import type { Transaction } from 'kysely';
import type { Logger } from './observability/log-line.ts';
import type { Config } from './config.ts';
import type { Catalog } from './orders/catalog.ts';
import type { ResolvedOrder } from './orders/resolved-order.ts';
import type { CheckoutInput } from './points/requests.ts';
import type { OrderResource } from './points/schemas.ts';
import type { Store } from './store/db.ts';
import type { Database } from './store/schema.ts';

/** The Points calls the edge server's routes and jobs make (a subset of the Points client). */
export interface PointsGateway {
  beginCheckout(input: CheckoutInput): Promise<{ checkout_url: string }>;
  getOrder(uuid: string): Promise<OrderResource>;
}

/** Library mode: the merchant's own lookup of an order by number; undefined when it does not exist. */
export type ResolveOrder = (orderNumber: string) => Promise<ResolvedOrder | undefined>;

/** What changed about an order, as told to the merchant (in-process hook and outbound webhook). */
export interface OrderUpdatedEvent {
  orderNumber: string;
  state: string;
  previousState: string;
  pointsStatus: string | null;
  pointsUuid: string | null;
  referenceNumber: string | null;
  expectedTotal: string;
  settledTotal: string | null;
  refundedTotal: string;
  totalPoints: number | null;
  shippingStatus: string | null;
  /** The Points webhook event that led here, or `reconcile` / `callback`. */
  cause: string;
  /**
   * True for an order this server adopted from Points' record (it had no row for it): a paid checkout
   * among them is `amount_mismatch`, since nobody here set its price.
   */
  adopted: boolean;
}

/** Everything routes and jobs share, built once by `createEdge`. */
export interface EdgeContext {
  config: Config;
  store: Store;
  points: PointsGateway;
  now: () => number;
  logger: Logger;
  resolveOrder: ResolveOrder | undefined;
  catalog: Catalog | undefined;
  /** Key of the public order-status tokens, derived from the private key. */
  statusKey: string;
  /** How long we treat a Points checkout session as usable (Points does not publish its lifetime). */
  checkoutSessionTtlMs: number;
  /**
   * Queues the merchant notification of an order change in the transaction that made it (a job of
   * `jobs/`; orders reach the queue only through here).
   */
  enqueueNotification: (trx: Transaction<Database>, event: OrderUpdatedEvent) => Promise<void>;
  /** How long a checkout waits for a concurrent checkout of the same order to finish its Points call. */
  checkoutWaitMs: number;
  /** Tells the worker that a job was enqueued. */
  wakeWorker: () => void;
  /** Library mode: called after an order's state changed, once per change. */
  onOrderUpdated: ((event: OrderUpdatedEvent) => void | Promise<void>) | undefined;
}
