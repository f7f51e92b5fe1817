import { html, nothing } from 'lit';
import type { ConsoleData } from './console-data.ts';
import type { ConsolePage } from './console-page.ts';

/** What a confirmed action does, and what it changes. */
export interface ConfirmedActionOptions<T> {
  /** Takes the action on what was asked about; answers the words that say it is done. */
  run: (subject: T) => Promise<string>;
  /** The page's data the action changes, read again once it succeeds. */
  reload?: ConsoleData<unknown>;
  /** The Confirm button's id; its question's is `${id}-question`. Default `confirm`. */
  id?: string;
}

/**
 * An action the operator confirms first: `ask(subject)` shows the confirmation step and moves focus to
 * its Confirm button, `confirm()` takes the action with the page busy, then `message` says what became
 * of it or `error` why it failed. `step()` and `status()` render the step and the live status line.
 *
 * @example
 * private readonly replay = new ConfirmedAction<string>(this, {
 *   run: async (id) => {
 *     await this.client.post(`deliveries/${encodeURIComponent(id)}/replay`);
 *     return this.t('replayed');
 *   },
 *   reload: this.rows,
 * });
 * // <button @click=${() => this.replay.ask(row.id)}>…</button>
 * // ${this.replay.status()} ${this.replay.step(() => this.t('replay'))}
 */
export class ConfirmedAction<T> {
  /** What the operator is asked to confirm; undefined when nothing is asked. */
  subject: T | undefined;
  /** Whether the action (and the reload after it) is under way. */
  busy = false;
  /** What became of the latest action, as `run` said it. */
  message = '';
  /** Why the latest action failed (the server's words); empty when it did not. */
  error = '';
  private readonly host: ConsolePage;
  private readonly options: ConfirmedActionOptions<T>;

  constructor(host: ConsolePage, options: ConfirmedActionOptions<T>) {
    this.host = host;
    this.options = options;
  }

  private get id() {
    return this.options.id ?? 'confirm';
  }

  /** Asks the operator to confirm the action on `subject`, with focus on Confirm. */
  ask(subject: T): void {
    this.subject = subject;
    this.message = '';
    this.error = '';
    this.host.requestUpdate();
    void this.host.updateComplete.then(() =>
      this.host.renderRoot.querySelector<HTMLElement>(`#${this.id}`)?.focus(),
    );
  }

  /** Takes the action asked about, then reads the page's data again. */
  async confirm(): Promise<void> {
    const subject = this.subject;
    if (subject === undefined) return;
    this.busy = true;
    this.host.requestUpdate();
    try {
      this.message = await this.options.run(subject);
      this.subject = undefined;
      await this.options.reload?.reload();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  /** Leaves the confirmation step without acting. */
  cancel(): void {
    this.subject = undefined;
    this.host.requestUpdate();
  }

  /**
   * The confirmation step while one is asked: "Confirm this action?" and what `what` says of the subject,
   * then Confirm and Back.
   */
  step(what: (subject: T) => unknown) {
    const { t } = this.host;
    if (this.subject === undefined) return nothing;
    return html`<div role="group" aria-labelledby="${this.id}-question">
      <p id="${this.id}-question">${t('confirmQuestion')} ${what(this.subject)}</p>
      <div class="row">
        <button id=${this.id} ?disabled=${this.busy} @click=${() => this.confirm()}>${t('confirm')}</button>
        <button class="secondary" @click=${() => this.cancel()}>${t('back')}</button>
      </div>
    </div>`;
  }

  /** The live status line: loading while busy, then what became of the action. */
  status() {
    return html`<p role="status">${this.busy ? this.host.t('loading') : this.message}</p>`;
  }
}
