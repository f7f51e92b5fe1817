import { LitElement, css, html, type TemplateResult } from 'lit';
import { pointsPhrase } from '../shared/copy.ts';
import { dialogWordingFor } from './copy.ts';
import type { Lang, Numerals } from '../shared/format.ts';
import { define } from '../shared/points-element.ts';
import { baseStyles, coinMark } from '../shared/styles.ts';

/** What the dialog explains: earning (product pages) or paying with Points (checkout). */
export type InfoTopic = 'earn' | 'redeem';

/**
 * The "how Points works" dialog the messages open (a lazily loaded chunk). A native modal
 * `<dialog>`: focus moves in and comes back to the opener on close, Esc and the backdrop close it,
 * and it is labelled by its title. Rendered inside the opening element's shadow root, so the
 * page's `::part()` rules reach it through that element's `exportparts`.
 *
 * @csspart dialog - the `<dialog>` box.
 * @csspart dialog-title - its heading.
 * @csspart dialog-close - the close buttons.
 */
export class PointsInfoDialog extends LitElement {
  static override properties = {
    language: { attribute: false },
    numerals: { attribute: false },
    points: { attribute: false },
    topic: { attribute: false },
    theme: { attribute: false },
  };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: contents;
      }
      dialog.root {
        margin: auto;
        inline-size: min(34rem, 100vi - 2rem);
        max-block-size: min(44rem, 100dvb - 2rem);
        padding: 1.5rem;
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) * 1.5);
        background: var(--points-dialog-background, Canvas);
        color: var(--points-dialog-color, CanvasText);
        font: inherit;
        line-height: 1.6;
      }
      dialog[data-theme~='light'] {
        color-scheme: light;
      }
      dialog[data-theme~='dark'] {
        color-scheme: dark;
      }
      dialog::backdrop {
        background: rgb(20 12 48 / 0.45);
      }
      header {
        display: flex;
        align-items: center;
        gap: 0.75rem;
      }
      header .coin {
        inline-size: 2.5rem;
        block-size: 2.5rem;
      }
      h2 {
        flex: 1;
        margin: 0;
        font-size: 1.375rem;
        line-height: 1.3;
      }
      .close {
        display: grid;
        place-items: center;
        inline-size: 2.5rem;
        block-size: 2.5rem;
        padding: 0;
        border: 0;
        border-radius: 50%;
        background: transparent;
        font-size: 1.5rem;
        line-height: 1;
      }
      .close:hover {
        background: var(--_tint);
      }
      h3 {
        margin-block: 1.25rem 0.5rem;
        font-size: 1rem;
      }
      ol {
        margin: 0;
        padding: 0;
        list-style: none;
        counter-reset: step;
        display: grid;
        gap: 0.5rem;
      }
      li {
        display: flex;
        gap: 0.75rem;
        align-items: baseline;
        counter-increment: step;
      }
      li::before {
        content: counter(step);
        flex: none;
        display: inline-grid;
        place-items: center;
        inline-size: 1.75rem;
        block-size: 1.75rem;
        border-radius: 50%;
        background: var(--_tint);
        color: var(--_accent);
        font-weight: 600;
      }
      .done {
        display: block;
        inline-size: 100%;
        margin-block-start: 1.5rem;
        padding: 0.75rem 1rem;
        border: 0;
        border-radius: var(--_radius);
        background: var(--_brand);
        color: var(--_on-brand);
        font-weight: 600;
      }
    `,
  ];

  declare language: Lang;
  declare numerals: Numerals;
  declare points: number;
  declare topic: InfoTopic;
  /** The opener's resolved theme (`auto` already read from the page). */
  declare theme: 'light' | 'dark' | 'auto light' | 'auto dark';

  private opener: HTMLElement | undefined;

  constructor() {
    super();
    this.language = 'ar';
    this.numerals = 'latn';
    this.points = 0;
    this.topic = 'earn';
    this.theme = 'auto light';
  }

  /** Opens the dialog as a modal; focus returns to `opener` when it closes. */
  show(opener?: HTMLElement): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (!dialog || dialog.open) return;
    this.opener = opener;
    dialog.showModal();
  }

  /** Closes the dialog (focus goes back to the opener). */
  close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  private onClose(): void {
    this.opener?.focus();
    this.opener = undefined;
  }

  /** A click on the backdrop lands on the `<dialog>` itself, outside its box. */
  private onClick(event: MouseEvent): void {
    const dialog = event.currentTarget as HTMLDialogElement;
    if (event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside =
      event.clientX >= box.left &&
      event.clientX <= box.right &&
      event.clientY >= box.top &&
      event.clientY <= box.bottom;
    if (!inside) dialog.close();
  }

  override render() {
    const words = dialogWordingFor(this.language);
    const phrase = this.points > 0 ? pointsPhrase(this.points, this.language, this.numerals) : undefined;
    return html`<dialog
      class="root"
      part="dialog"
      data-theme=${this.theme}
      lang=${this.language}
      dir=${this.language === 'ar' ? 'rtl' : 'ltr'}
      aria-labelledby="title"
      @close=${this.onClose}
      @click=${this.onClick}
    >
      <header>
        ${coinMark}
        <h2 id="title" part="dialog-title">${this.topic === 'redeem' ? words.redeemTitle : words.title}</h2>
        <button
          class="close"
          part="dialog-close"
          type="button"
          aria-label=${words.close}
          @click=${this.close}
          autofocus
        >
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <p>${this.topic === 'redeem' ? words.redeemIntro : words.intro(phrase)}</p>
      <h3>${words.stepsTitle}</h3>
      <ol>
        ${words.steps.map((step) => html`<li>${step}</li>`)}
      </ol>
      <button class="done" part="dialog-close" type="button" @click=${this.close}>
        ${words.continueShopping}
      </button>
    </dialog>`;
  }
}

define('points-info-dialog', PointsInfoDialog);

/** What the message that opens the dialog tells it. */
export type InfoDialogSettings = Pick<
  PointsInfoDialog,
  'language' | 'numerals' | 'points' | 'topic' | 'theme'
>;

/**
 * The dialog as a message renders it in its own shadow root. Here rather than in the message, so its markup
 * is in this chunk, loaded on the first click, and not in the entry every product page fetches.
 * @example html`${infoDialogFor({ language: 'en', numerals: 'latn', points: 1990, topic: 'earn', theme: 'light' })}`
 */
export function infoDialogFor(settings: InfoDialogSettings): TemplateResult {
  return html`<points-info-dialog
    exportparts="dialog, dialog-title, dialog-close"
    .language=${settings.language}
    .numerals=${settings.numerals}
    .points=${settings.points}
    .topic=${settings.topic}
    .theme=${settings.theme}
  ></points-info-dialog>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'points-info-dialog': PointsInfoDialog;
  }
}
