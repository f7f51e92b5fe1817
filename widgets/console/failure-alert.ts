import { html, nothing } from 'lit';
import { say, type ConsoleLang } from './console-copy.ts';

/** "Failed: <why>" as an alert screen readers announce; nothing while there is no error. */
export function failureAlert(error: string, lang: ConsoleLang) {
  return error ? html`<p class="error" role="alert">${say('failed', lang)} ${error}</p>` : nothing;
}
