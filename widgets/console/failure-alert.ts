import { html, nothing } from 'lit';
import { say, type ConsoleLang } from './console-copy.ts';

/**
 * "Failed: <why>" as an alert screen readers announce, and with `retry` a "Try again" button after it;
 * nothing while there is no error.
 */
export function failureAlert(error: string, lang: ConsoleLang, retry?: () => void) {
  if (!error) return nothing;
  return html`<p class="error" role="alert">${say('failed', lang)} ${error}</p>
    ${retry ? html`<button type="button" class="retry" @click=${retry}>${say('tryAgain', lang)}</button>` : nothing}`;
}
