/** Where the Points API is: the documented base URLs, and the one form every configured URL is put in. */

export type PointsEnvironment = 'production' | 'sandbox';

export const pointsBaseUrls: Record<PointsEnvironment, string> = {
  production: 'https://business.papp.sa/api',
  sandbox: 'https://sandbox.papp.sa/api',
};

/**
 * Hosts on this machine, where plain `http://` is allowed (the local sandbox).
 *
 * @example isLoopbackHost(new URL('http://127.0.0.1:4010').hostname) // true
 */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * One form for every documented Points base URL: Points' docs give the REST base as `…/api/v1`, its
 * OpenAPI servers as `…/api` with paths starting `/v1/…`. Both become `…/api` (no trailing slash), so a
 * call never goes to `/v1/v1/…`.
 *
 * @example normalizeBaseUrl('https://business.papp.sa/api/v1/') // 'https://business.papp.sa/api'
 */
export function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v1$/i, '');
}

/**
 * The base URL from options; throws when it is missing, not a URL, or plain HTTP to a non-loopback host.
 *
 * @example
 * resolveBaseUrl({ environment: 'sandbox' }) // 'https://sandbox.papp.sa/api'
 * resolveBaseUrl({ baseUrl: 'http://127.0.0.1:4010/api/v1' }) // 'http://127.0.0.1:4010/api'
 */
export function resolveBaseUrl(options: { environment?: PointsEnvironment; baseUrl?: string }): string {
  const raw = options.baseUrl ?? (options.environment ? pointsBaseUrls[options.environment] : undefined);
  if (raw === undefined) throw new TypeError('Points client: give `environment` or `baseUrl`');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError('Points client: `baseUrl` is not a valid URL');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new TypeError('Points client: plain http:// is only allowed for loopback hosts; use https://');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('Points client: `baseUrl` must be an https:// URL');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError('Points client: `baseUrl` must not carry credentials, a query or a fragment');
  }
  return normalizeBaseUrl(url.href);
}
