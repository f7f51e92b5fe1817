import { LitElement } from 'lit';
import type { Lang, Numerals } from './format.ts';
import type { PointsEventMap } from './events.ts';

/** The edge server the bundle came from: `server` defaults to it. */
const bundleBase = new URL(/* @vite-ignore */ '.', import.meta.url).href;

const live = new Set<PointsElement>();
let pageWatcher: MutationObserver | undefined;

/** One observer for the whole page: a `lang` change on any ancestor re-renders the elements that inherit it. */
function watchPageLanguage(): void {
  if (pageWatcher) return;
  pageWatcher = new MutationObserver(() => live.forEach((element) => element.requestUpdate()));
  pageWatcher.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['lang'],
    subtree: true,
  });
}

/**
 * What every Points element shares: the common attributes (`lang`, `server`, `theme`, `numerals`),
 * the language the element speaks, and typed `points-*` events.
 */
export class PointsElement extends LitElement {
  static override properties = {
    lang: { type: String },
    server: { type: String },
    theme: { type: String },
    numerals: { type: String },
  };

  /** Edge server base URL; defaults to where the bundle was loaded from. */
  declare server: string;
  /** `auto` (follows the shopper's system), `light` or `dark`. */
  declare theme: 'auto' | 'light' | 'dark';
  /** Digits: `latn` (0-9) or `arab` (٠-٩). */
  declare numerals: Numerals;

  constructor() {
    super();
    this.server = '';
    this.theme = 'auto';
    this.numerals = 'latn';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    live.add(this);
    watchPageLanguage();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    live.delete(this);
  }

  /** `ar` or `en`: the element's own `lang`, else the nearest ancestor's, else Arabic. */
  protected get language(): Lang {
    const tag = this.lang || this.closest('[lang]')?.getAttribute('lang') || '';
    return tag.toLowerCase().startsWith('en') ? 'en' : 'ar';
  }

  protected get digits(): Numerals {
    return this.numerals === 'arab' ? 'arab' : 'latn';
  }

  /** The edge base URL, always ending in `/` so relative routes resolve under it. */
  protected get serverBase(): string {
    const base = new URL(this.server || bundleBase, document.baseURI).href;
    return base.endsWith('/') ? base : `${base}/`;
  }

  protected get themeName(): 'auto' | 'light' | 'dark' {
    return this.theme === 'light' || this.theme === 'dark' ? this.theme : 'auto';
  }

  /** Dispatches a bubbling, composed `points-*` event; returns false when a listener cancelled it. */
  protected emit<K extends keyof PointsEventMap>(
    type: K,
    detail: PointsEventMap[K]['detail'],
    cancelable = false,
  ): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }
}

/** Defines an element once: loading the bundle twice is harmless. */
export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
