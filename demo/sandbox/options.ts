/** Earning and checkout capabilities a merchant can have switched off in the dashboard. */
export type Channel = 'checkout' | 'earning' | 'store_rating' | 'product_rating';
export const channels: readonly Channel[] = ['checkout', 'earning', 'store_rating', 'product_rating'];

/** Query parameters the hosted checkout may append to `callback_url` (their names are invented: §5 [INF]). */
export type CallbackParam = 'order_uuid' | 'order_number' | 'status' | 'reference_number';

/** What a second earning call with an already used `order_number` / `review_reference` gets (§1.6 [INF]). */
export type DuplicateEarning = 'validation' | 'bad-request' | 'existing';

/** What a second checkout with the same `order_number` gets while its session is still open (§1.6 [INF]). */
export type CheckoutDedupe = 'reuse-open-session' | 'always-new';

/** How webhook deliveries misbehave on purpose, so receivers can prove they cope (§4.1). */
export interface DeliveryKnobs {
  /** Send every Nth delivery twice (0 = never). */
  duplicateEvery?: number;
  /** Probability (0..1) that a delivery is sent twice. */
  duplicateRate?: number;
  /** Deliver the events of one API call (a batch) in reverse order. */
  reorder?: boolean;
  /** Wait this long before delivering a batch. */
  delayMs?: number;
}

/** A merchant besides the default one (for cross-merchant tests). */
export interface MerchantSetup {
  publicKey: string;
  privateKey: string;
  name?: string;
  earnRate?: number;
}

export interface SandboxOptions extends DeliveryKnobs {
  /** Public key of the default merchant (checkout URL path). */
  publicKey?: string;
  /** Private key of the default merchant (`x-api-key`). */
  privateKey?: string;
  /** More merchants, created at start and after every reset. */
  merchants?: MerchantSetup[];
  /** Points per SAR for purchase earning (default 10). */
  earnRate?: number;
  /** Flat points for an accepted store rating (default 25). */
  storeRatingPoints?: number;
  /** Flat points for an accepted product rating (default 10). */
  productRatingPoints?: number;
  /** Value of one point when redeemed, in halalas (default 3, i.e. 0.03 SAR). */
  pointValueHalalas?: number;
  /** URL the sandbox is reachable at; used for `checkout_url` and pagination links. */
  baseUrl?: string;
  /** Register this webhook for the default merchant at start (and after every reset). */
  webhookUrl?: string;
  webhookSecret?: string;
  /** Used for webhook delivery (default: global fetch). */
  fetch?: typeof fetch;
  /** Clock in epoch ms (default Date.now). */
  now?: () => number;
  /** The one OTP the hosted page accepts (default `123456`). */
  otp?: string;
  /** Hosted checkout session lifetime (default 30 minutes). */
  sessionTtlMs?: number;
  /** How long an earning call holds the merchant's lock (default 0); raise it to provoke 429s. */
  earningLatencyMs?: number;
  /** Per-attempt webhook timeout (default 10 s). */
  webhookTimeoutMs?: number;
  /** Retries after the first webhook attempt (default 3). */
  webhookRetries?: number;
  /** Delay before retry n (1-based); default 1 s, 5 s, 25 s. */
  webhookBackoffMs?: (retry: number) => number;
  /** Card number whose payment always fails on the hosted page. */
  failingCard?: string;
  /** Parameters appended to `callback_url` (default order_uuid, order_number, status). */
  callbackParams?: readonly CallbackParam[];
  duplicateEarning?: DuplicateEarning;
  checkoutDedupe?: CheckoutDedupe;
}

export const defaults = {
  publicKey: 'sandbox_public_key_demo',
  privateKey: 'sandbox_private_key_demo',
  earnRate: 10,
  storeRatingPoints: 25,
  productRatingPoints: 10,
  pointValueHalalas: 3,
  baseUrl: 'http://127.0.0.1:4010',
  otp: '123456',
  sessionTtlMs: 30 * 60_000,
  earningLatencyMs: 0,
  webhookTimeoutMs: 10_000,
  webhookRetries: 3,
  failingCard: '4000000000000002',
  callbackParams: ['order_uuid', 'order_number', 'status'] as readonly CallbackParam[],
  duplicateEarning: 'validation' as DuplicateEarning,
  checkoutDedupe: 'reuse-open-session' as CheckoutDedupe,
};

/** Options with every default filled in. */
export type ResolvedOptions = Required<Omit<SandboxOptions, 'webhookUrl' | 'webhookSecret'>> &
  Pick<SandboxOptions, 'webhookUrl' | 'webhookSecret'>;

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  return {
    ...defaults,
    merchants: [],
    duplicateEvery: 0,
    duplicateRate: 0,
    reorder: false,
    delayMs: 0,
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    webhookBackoffMs: (retry) => 1000 * 5 ** (retry - 1),
    ...stripUndefined(options),
    baseUrl: (options.baseUrl ?? defaults.baseUrl).replace(/\/+$/, ''),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
