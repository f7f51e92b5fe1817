import { html, LitElement } from 'lit';
import type { ConsoleClient } from './console-client.ts';
import { ConsoleRequestError } from './console-client.ts';
import { say, type ConsoleLang } from './console-copy.ts';
import { consoleStyles } from './console-styles.ts';

/**
 * The console's sign-in form: the operator's own token (or the admin token) in a password field, posted as
 * a form body (never in the URL) and forgotten at once.
 *
 * @fires console-signed-in - the session is open
 */
export class ConsoleSignIn extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    lang: { type: String, reflect: true },
    busy: { state: true },
    error: { state: true },
  };
  declare lang: ConsoleLang;
  declare busy: boolean;
  declare error: string;
  client!: ConsoleClient;

  constructor() {
    super();
    this.lang = 'ar';
    this.busy = false;
    this.error = '';
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const field = form.elements.namedItem('token') as HTMLInputElement;
    this.busy = true;
    this.error = '';
    try {
      await this.client.signIn(field.value);
      field.value = '';
      this.dispatchEvent(new CustomEvent('console-signed-in', { bubbles: true, composed: true }));
    } catch (error) {
      const code = error instanceof ConsoleRequestError ? error.code : '';
      this.error = say(code === 'rate_limited' ? 'tooMany' : 'wrongToken', this.lang);
      field.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<form method="post" action="console/session" @submit=${this.submit}>
      <h2>${say('signInTitle', this.lang)}</h2>
      <label for="token">${say('tokenLabel', this.lang)}</label>
      <div class="row">
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          required
          aria-describedby="sign-in-error"
          aria-invalid=${this.error ? 'true' : 'false'}
        />
        <button type="submit" ?disabled=${this.busy}>${say('signIn', this.lang)}</button>
      </div>
      <p id="sign-in-error" class="error" role="alert">${this.error}</p>
      ${this.busy ? html`<p role="status">${say('loading', this.lang)}</p>` : ''}
    </form>`;
  }
}

customElements.define('points-console-sign-in', ConsoleSignIn);
