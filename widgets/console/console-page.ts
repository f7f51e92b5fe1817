import { LitElement, type CSSResultGroup, type PropertyDeclarations } from 'lit';
import type { ConsoleClient } from './console-client.ts';
import { say, type ConsoleLang, type WordKey } from './console-copy.ts';
import { consoleStyles } from './console-styles.ts';

/**
 * What every console page shares: its language (`lang`, Arabic unless told), the signed-in client the
 * app hands it, and its words in that language. Pages read the API through `ConsoleData` and take
 * confirmed actions through `ConfirmedAction`.
 *
 * @example
 * class ConsoleAudit extends ConsolePage {
 *   private readonly entries = new ConsoleData<AuditEntry[]>(this, () => 'audit?limit=100');
 *   override render() {
 *     return html`<h2>${this.t('audit')}</h2>${this.entries.value?.map((entry) => html`…`)}`;
 *   }
 * }
 */
export class ConsolePage extends LitElement {
  static override styles: CSSResultGroup = consoleStyles;
  static override properties: PropertyDeclarations = {
    lang: { type: String, reflect: true },
  };
  declare lang: ConsoleLang;
  /** The app's client, set before the page connects. */
  client!: ConsoleClient;

  constructor() {
    super();
    this.lang = 'ar';
  }

  /** The word for `key` in the page's language. */
  readonly t = (key: WordKey): string => say(key, this.lang);
}
