import type { Lang } from './format.ts';

/** Public settings the edge server answers on `GET {server}/config`. */
export interface PointsConfig {
  environment: string;
  currency: 'SAR';
  /** Points earned per SAR. */
  earnRate: number;
  features: unknown;
  defaultLanguage: Lang;
}

/** How long a fetched config is reused, across pages, before it is asked for again. */
export const configTtlMs = 10 * 60 * 1000;

const storagePrefix = 'points-config:';
const inMemory = new Map<string, PointsConfig>();
const inFlight = new Map<string, Promise<PointsConfig>>();

function isConfig(value: unknown): value is PointsConfig {
  // Number.isFinite is false for anything but a finite number: no `typeof` needed.
  const earnRate = (value as Partial<PointsConfig> | null | undefined)?.earnRate;
  return Number.isFinite(earnRate) && earnRate! >= 0;
}

/** Storage may be missing or throw (privacy modes, sandboxed frames): the cache is then memory only. */
function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * The config for `server` if this page or a recent one already has it: synchronous, so an element's
 * first paint can be its final one.
 */
export function cachedConfig(server: string, now = Date.now()): PointsConfig | undefined {
  const known = inMemory.get(server);
  if (known) return known;
  try {
    const saved = JSON.parse(storage()?.getItem(storagePrefix + server) ?? 'null') as {
      at?: number;
      config?: unknown;
    } | null;
    if (saved && typeof saved.at === 'number' && now - saved.at < configTtlMs && isConfig(saved.config)) {
      inMemory.set(server, saved.config);
      return saved.config;
    }
  } catch {
    // A corrupt entry is as good as none.
  }
  return undefined;
}

/**
 * Fetches `GET {server}/config` once per page however many elements ask (one shared promise), and
 * keeps it for {@link configTtlMs} in `localStorage` for the next pages.
 */
export function loadConfig(server: string): Promise<PointsConfig> {
  const cached = cachedConfig(server);
  if (cached) return Promise.resolve(cached);
  let pending = inFlight.get(server);
  if (!pending) {
    // Kept for the page's life, failure included: a failing server is asked once, not once per element.
    pending = fetchConfig(server);
    inFlight.set(server, pending);
  }
  return pending;
}

async function fetchConfig(server: string): Promise<PointsConfig> {
  const response = await fetch(new URL('config', server), {
    credentials: 'omit',
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`GET /config answered ${response.status}`);
  const config: unknown = await response.json();
  if (!isConfig(config)) throw new Error('GET /config answered without a valid earnRate');
  inMemory.set(server, config);
  try {
    storage()?.setItem(storagePrefix + server, JSON.stringify({ at: Date.now(), config }));
  } catch {
    // Full or forbidden storage only costs the next page one request.
  }
  return config;
}

/** Forgets every cached config (tests, and a merchant switching environments). */
export function clearConfigCache(): void {
  inMemory.clear();
  inFlight.clear();
  const store = storage();
  if (!store) return;
  for (const key of Object.keys(store)) if (key.startsWith(storagePrefix)) store.removeItem(key);
}
