import type { ReactiveController } from 'lit';
import type { ConsolePage } from './console-page.ts';
import { failureAlert } from './failure-alert.ts';

/**
 * One read of the console's API for a page: made when the page connects and again on `reload()`, with
 * the answer, whether a read is under way and why the latest one failed; each change renders the page
 * again. An answer to a read that a newer one has replaced is dropped, so a slow first search never
 * shows over the second.
 *
 * @example
 * private readonly entries = new ConsoleData<AuditEntry[]>(this, () => 'audit?limit=100');
 * override render() {
 *   if (this.entries.error) return this.entries.failure();
 *   if (!this.entries.value) return html`<p role="status">${this.t('loading')}</p>`;
 *   return html`<ol>${this.entries.value.map((entry) => html`<li>…</li>`)}</ol>`;
 * }
 */
export class ConsoleData<T> implements ReactiveController {
  /** The latest answer, kept while a reload is under way; undefined until the first arrives. */
  value: T | undefined;
  /** Whether a read is under way. */
  busy = false;
  /** Why the latest read failed (the server's words); empty when it did not. */
  error = '';
  private readonly host: ConsolePage;
  private readonly path: () => string;
  private latest = 0;

  /** `path` is under `console/api/`, asked again at each read (a search's query, the page's order). */
  constructor(host: ConsolePage, path: () => string) {
    this.host = host;
    this.path = path;
    host.addController(this);
  }

  hostConnected(): void {
    void this.reload();
  }

  /** Why the latest read failed, as an alert with a "Try again" button; nothing when it did not. */
  failure() {
    return failureAlert(this.error, this.host.lang, () => void this.reload());
  }

  /** Reads again: after an action, for a new search, or to retry. Never rejects; a failure is `error`. */
  async reload(): Promise<void> {
    const read = ++this.latest;
    this.busy = true;
    this.error = '';
    this.host.requestUpdate();
    try {
      const value = await this.host.client.get<T>(this.path());
      if (read === this.latest) this.value = value;
    } catch (error) {
      if (read === this.latest) this.error = (error as Error).message;
    } finally {
      if (read === this.latest) {
        this.busy = false;
        this.host.requestUpdate();
      }
    }
  }
}
