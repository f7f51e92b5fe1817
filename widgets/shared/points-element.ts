import { isServer, LitElement } from 'lit';
import type { Lang, Numerals } from './format.ts';
import type { PointsEventMap } from './events.ts';

/** The edge server the bundle came from: `server` defaults to it. */
const bundleBase = isServer ? '' : new URL(/* @vite-ignore */ '.', import.meta.url).href;

const live = new Set<PointsElement>();
let pageWatcher: MutationObserver | undefined;

const pageLook = ['class', 'style', 'data-theme', 'data-color-scheme'];

/**
 * One observer for the whole page: a `lang` change on any ancestor re-renders the elements that inherit
 * it, and so does a theme switch on `<html>` or `<body>` (or the system's), which `theme="auto"` follows.
 */
function watchPage(): void {
  if (pageWatcher) return;
  const rerender = () => live.forEach((element) => element.requestUpdate());
  pageWatcher = new MutationObserver((records) => {
    const relevant = records.some(
      (record) =>
        record.attributeName === 'lang' ||
        record.target === document.documentElement ||
        record.target === document.body,
    );
    if (relevant) rerender();
  });
  pageWatcher.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['lang', ...pageLook],
    subtree: true,
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', rerender);
}

/** WCAG relative luminance of a computed `rgb(…)` / `color(srgb …)` colour; undefined for other forms. */
function luminanceOf(color: string): number | undefined {
  const srgb = color.startsWith('color(srgb');
  if (!srgb && !color.startsWith('rgb')) return undefined;
  const [r = 0, g = 0, b = 0] = (color.match(/[\d.]+/g) ?? []).map((part) => Number(part) / (srgb ? 1 : 255));
  const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
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
    watchPage();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    live.delete(this);
  }

  /** `ar` or `en`: the element's own `lang`, else the nearest ancestor's, else Arabic. */
  protected get language(): Lang {
    // On the server there is no page to inherit from: the element's own `lang`, else Arabic.
    const tag = this.lang || (isServer ? '' : this.closest('[lang]')?.getAttribute('lang')) || '';
    return tag.toLowerCase().startsWith('en') ? 'en' : 'ar';
  }

  /**
   * The direction of the element's own language (or its own `dir`), set on its root: an English widget on
   * an Arabic page keeps its punctuation and order, and the other way round.
   */
  protected get direction(): 'rtl' | 'ltr' {
    const own = this.getAttribute('dir');
    if (own === 'rtl' || own === 'ltr') return own;
    return this.language === 'ar' ? 'rtl' : 'ltr';
  }

  protected get digits(): Numerals {
    return this.numerals === 'arab' ? 'arab' : 'latn';
  }

  /** The edge base URL, always ending in `/` so relative routes resolve under it. */
  protected get serverBase(): string {
    if (isServer) return this.server ? new URL(this.server).href.replace(/\/?$/, '/') : '';
    const base = new URL(this.server || bundleBase, document.baseURI).href;
    return base.endsWith('/') ? base : `${base}/`;
  }

  /**
   * The colours to paint with: `light` and `dark` paint their own surface; `auto` follows the page it sits
   * on, read from the text colour it inherits (light text means a dark page), not from the system setting,
   * since a light store on a dark-mode phone is still light.
   */
  protected get themeName(): 'light' | 'dark' | 'auto light' | 'auto dark' {
    if (this.theme === 'light' || this.theme === 'dark') return this.theme;
    // The server cannot see the page: light until the script reads it (a colour change, not a shift).
    if (isServer) return 'auto light';
    const text = luminanceOf(getComputedStyle(this).color);
    // Above 0.179 a text colour contrasts more with black than with white: it is set on a dark page.
    return text !== undefined && text > 0.179 ? 'auto dark' : 'auto light';
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

let definitionsHeld: Promise<unknown> | undefined;

/**
 * Holds back every {@link define} until `until` settles: the served bundle first loads the code that takes
 * server-rendered markup over, since an element defined before it would render its shadow root again.
 * @example holdDefinitions(import('../ssr/hydrate-support.ts'))
 */
export function holdDefinitions(until: Promise<unknown>): void {
  definitionsHeld = until;
}

/** Defines an element once: loading the bundle twice is harmless. */
export function define(name: string, element: CustomElementConstructor): void {
  const now = () => {
    if (!customElements.get(name)) customElements.define(name, element);
  };
  if (definitionsHeld) definitionsHeld.then(now, now);
  else now();
}
