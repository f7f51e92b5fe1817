/** A problem answer the console shows: its stable code and the server's words. */
export class ConsoleRequestError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(status: number, code: string, detail: string) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

/**
 * The console's requests, relative to the page (`/console`, or under the edge's prefix). The CSRF token
 * lives here, in memory only: a reload asks the server for it again (`GET session`), and the admin token
 * is never kept at all.
 */
export class ConsoleClient {
  csrfToken: string | undefined;
  onSignedOut: () => void = () => {};

  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    if (init.method && init.method !== 'GET' && this.csrfToken) headers.set('x-csrf-token', this.csrfToken);
    const response = await fetch(`console/${path}`, { ...init, headers, credentials: 'same-origin' });
    if (response.status === 204) return undefined as T;
    const body = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
    if (!response.ok) {
      if (response.status === 401 && body.code === 'console_session_required') {
        this.csrfToken = undefined;
        this.onSignedOut();
      }
      throw new ConsoleRequestError(
        response.status,
        body.code ?? 'error',
        body.detail ?? response.statusText,
      );
    }
    return body as T;
  }

  /** Whether a session is open already (a reloaded page); keeps its CSRF token. */
  async resume(): Promise<boolean> {
    const body = await this.request<{ signedIn: boolean; csrfToken?: string }>('session');
    this.csrfToken = body.csrfToken;
    return body.signedIn;
  }

  async signIn(token: string): Promise<void> {
    const body = await this.request<{ csrfToken: string }>('session', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    this.csrfToken = body.csrfToken;
  }

  async signOut(): Promise<void> {
    await this.request('session', { method: 'DELETE' });
    this.csrfToken = undefined;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>(`api/${path}`);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>(`api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
}
