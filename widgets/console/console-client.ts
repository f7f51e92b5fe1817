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
 * lives here, in memory only: a reload asks the server for it again (`GET session`), and the operator's
 * token is never kept at all.
 */
/** Who is signed in, as the session answers it. */
export interface ConsoleOperator {
  name: string;
  /** `viewer` reads only; `manager` may act. */
  role: 'viewer' | 'manager';
}

type SessionAnswer = { signedIn?: boolean; csrfToken?: string; operator?: ConsoleOperator };

export class ConsoleClient {
  csrfToken: string | undefined;
  /** Who is signed in (undefined when no one is). */
  operator: ConsoleOperator | undefined;
  onSignedOut: () => void = () => {};

  /**
   * Whether the page offers actions: only to a manager. The server refuses a viewer's anyway (403
   * `operator_forbidden`); this only keeps buttons that would fail off the page.
   */
  get mayAct(): boolean {
    return this.operator?.role === 'manager';
  }

  private remember(body: SessionAnswer) {
    this.csrfToken = body.csrfToken;
    this.operator = body.operator;
  }

  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    if (init.method && init.method !== 'GET' && this.csrfToken) headers.set('x-csrf-token', this.csrfToken);
    const response = await fetch(`console/${path}`, { ...init, headers, credentials: 'same-origin' });
    if (response.status === 204) return undefined as T;
    const body = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
    if (!response.ok) {
      if (response.status === 401 && body.code === 'console_session_required') {
        this.remember({});
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

  /** Whether a session is open already (a reloaded page); keeps its CSRF token and who it is. */
  async resume(): Promise<boolean> {
    const body = await this.request<SessionAnswer>('session');
    this.remember(body);
    return body.signedIn === true;
  }

  async signIn(token: string): Promise<void> {
    this.remember(
      await this.request<SessionAnswer>('session', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      }),
    );
  }

  async signOut(): Promise<void> {
    await this.request('session', { method: 'DELETE' });
    this.remember({});
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
