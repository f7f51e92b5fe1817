import { z } from 'zod';

/**
 * A platform connector turns one webhook delivery of a store platform (Salla, Zid, Shopify, WooCommerce)
 * into facts about an order or a review. It takes bytes and returns data: it never touches the store,
 * the Points API or the job queue. Intake (`intake-route.ts`) and the job (`process-delivery.ts`) do the
 * I/O, the same for every platform, so a new platform is one folder and one line in `registry.ts`.
 */

/** The platforms the kit has a connector for. */
export type PlatformId = 'salla' | 'zid' | 'shopify' | 'woocommerce';

/** When a paid order earns: as soon as the platform says it is paid, or only once it is completed. */
export type EarnTrigger = 'paid' | 'completed';

/** One delivery as received: headers and the raw bytes the signature covers. */
export interface Delivery {
  headers: Headers;
  rawBody: Uint8Array;
  /** The raw body as text (UTF-8), for parsing. */
  text: string;
  /** The event named by the route's last path segment, for platforms with one URL per event (Zid). */
  pathEvent: string | undefined;
}

/** The outcome of checking a delivery's signature or credentials. */
export type Verification = { ok: true } | { ok: false; detail: string };

/** What the platform says of an order in one delivery. Absent fields: this delivery says nothing of them. */
export interface OrderFacts {
  /** The store on the platform (Salla merchant id, Shopify shop domain, Zid store id, WooCommerce site). */
  storeId: string;
  /** The platform's own id of the order (stable, never reused). */
  orderId: string;
  /** The number people see (Salla `reference_id`, Shopify `name`, WooCommerce `number`). */
  reference?: string;
  /** The platform says the order is paid (for cash on delivery: the money was collected). */
  paid?: boolean;
  /** Delivered or completed. */
  completed?: boolean;
  cancelled?: boolean;
  /** Refunded in full (a delivery that carries no amount, e.g. a status change to `refunded`). */
  fullyRefunded?: boolean;
  /** Refunds the delivery knows of, each with the platform's id: the same refund may be told many times. */
  refunds?: Array<{ id: string; halalas: number }>;
  /** What the customer paid, in halalas. */
  totalHalalas?: number;
  /** ISO 4217 code of that total. */
  currency?: string;
  /** Paid on delivery: earns only once the order is completed, whatever the trigger. */
  cashOnDelivery?: boolean;
  /** Paid with Points through our own checkout: nothing to earn here. */
  paidWithPoints?: boolean;
  /** A platform test order. */
  test?: boolean;
  /** The customer's phone as `5XXXXXXXX` (see `shared/saudi-phone.ts`), or null when the order has none. */
  phone?: string | null;
  customerName?: string;
  /** Line items, in halalas per unit. */
  items?: Array<{ name: string; priceHalalas: number; quantity: number }>;
}

/** A review the platform reports (Salla `review.added`). */
export interface ReviewFacts {
  storeId: string;
  /** The platform's id of the review; with the store, the Points `review_reference`. */
  reviewId: string;
  /** A product review earns product-rating points; a review of the store earns store-rating points. */
  productId?: string;
  productName?: string;
  rating?: number;
  comment?: string;
  phone: string | null;
}

/** What one verified delivery is. */
export type ParsedDelivery =
  | { type: 'order'; event: string; dedupeKey: string; order: OrderFacts }
  | { type: 'review'; event: string; dedupeKey: string; review: ReviewFacts }
  /** A delivery we keep but act on nowhere (an event we do not use). */
  | { type: 'ignored'; event: string; dedupeKey: string; reason: string }
  /** Verified, valid JSON, but not what the event's documented shape is. */
  | { type: 'invalid'; event: string; detail: string };

/** One platform. */
export interface PlatformConnector<Settings = unknown> {
  id: PlatformId;
  /** The platform's name as people write it. */
  title: string;
  /**
   * Its environment variables, validated with the rest of the configuration (`config.ts`); each may also
   * come from `NAME_FILE`. Every one is optional: a connector whose secret is unset is off.
   */
  configShape: z.ZodRawShape;
  /** Those of its variables that hold secrets: never printed, at least 32 characters in production. */
  secretVariables: readonly string[];
  /** Its settings from the validated variables, or `undefined` when its secret is not set (off). */
  settings(values: Record<string, unknown>): Settings | undefined;
  /** The secret values among its settings, for the logger to scrub. */
  secrets(settings: Settings): string[];
  /** When a paid order earns. */
  earnOn(settings: Settings): EarnTrigger;
  /**
   * A handshake the platform sends unsigned when a webhook is created (WooCommerce's `webhook_id=N`):
   * answered 200 and nothing else. Looked at before verification; never stored.
   */
  isPing?(delivery: Delivery): boolean;
  /** Checks the delivery's signature or credentials over the raw bytes, in constant time. */
  verify(delivery: Delivery, settings: Settings): Promise<Verification>;
  /** Reads a verified delivery whose body is valid JSON. */
  parse(delivery: Delivery, body: unknown): ParsedDelivery | Promise<ParsedDelivery>;
  /**
   * Reads the orders changed since `since` (epoch ms) from the platform's own API, for a platform that
   * does not resend what failed (WooCommerce); `undefined` when its settings hold no API credentials. The
   * one place a connector touches the network, through the `fetch` it is given.
   */
  catchUp?(settings: Settings, since: number, fetch: typeof globalThis.fetch): Promise<CatchUp> | undefined;
}

/** What a catch-up read found: each order as a delivery (with the text to keep), and how far it read. */
export interface CatchUp {
  deliveries: Array<{ parsed: ParsedDelivery; text: string }>;
  /** Epoch ms of the newest change read: where the next catch-up starts. */
  newest: number;
}

/** `<PLATFORM>_EARN_ON`: `paid` (the default) or `completed`. */
export const earnTriggerSchema = z.enum(['paid', 'completed']).default('paid');

/** The order number a platform order earns under at Points: stable, and distinct across platforms and stores. */
export function connectorOrderKey(platform: PlatformId, storeId: string, orderId: string): string {
  return `${platform}:${storeId}:${orderId}`;
}

/** The `review_reference` a platform review earns under at Points. */
export function connectorReviewKey(platform: PlatformId, storeId: string, reviewId: string): string {
  return `${platform}:${storeId}:review:${reviewId}`;
}
