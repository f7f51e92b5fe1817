import { html } from 'lit';
import { ConsoleRequestError } from './console-client.ts';
import { ConsolePage } from './console-page.ts';

/**
 * The console's sign-in form: the operator's own token (or the admin token) in a password field, posted as
 * a form body (never in the URL) and forgotten at once.
 *
 * @fires console-signed-in - the session is open
 */
export class ConsoleSignIn extends ConsolePage {
  static override properties = {
    busy: { state: true },
    error: { state: true },
  };
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
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
      this.error = this.t(code === 'rate_limited' ? 'tooMany' : 'wrongToken');
      field.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<form method="post" action="console/session" @submit=${this.submit}>
      <h2>${this.t('signInTitle')}</h2>
      <label for="token">${this.t('tokenLabel')}</label>
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
        <button type="submit" ?disabled=${this.busy}>${this.t('signIn')}</button>
      </div>
      <p id="sign-in-error" class="error" role="alert">${this.error}</p>
      ${this.busy ? html`<p role="status">${this.t('loading')}</p>` : ''}
    </form>`;
  }
}

customElements.define('points-console-sign-in', ConsoleSignIn);
