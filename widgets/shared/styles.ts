import { css, html } from 'lit';

/**
 * Look shared by every element: Points purple, a coin mark, theme tokens overridable with
 * `--points-*` custom properties, logical properties only, and respect for the shopper's settings
 * (reduced motion, forced colours).
 */
export const baseStyles = css`
  :host {
    display: block;
    font: inherit;
    color: var(--points-color, inherit);
    box-sizing: border-box;
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .root {
    --_brand: var(--points-brand, #5b3fd9);
    --_on-brand: var(--points-on-brand, #fff);
    --_accent: var(--points-accent, #4a2fc4);
    --_tint: var(--points-tint, #f1eefe);
    --_surface: var(--points-surface, transparent);
    --_text: var(--points-color, currentColor);
    --_border: var(--points-border-color, #dcd8ee);
    --_radius: var(--points-radius, 0.75rem);
    --_focus: var(--points-focus-color, #5b3fd9);
    min-block-size: inherit;
    margin: 0;
  }
  /* An explicit theme paints its own surface and text, so its colours hold on any page. */
  .root[data-theme='light'] {
    --_surface: var(--points-surface, #fff);
    --_text: var(--points-color, #1f1b2e);
  }
  .root[data-theme~='dark'] {
    --_brand: var(--points-brand, #6a4fe4);
    --_accent: var(--points-accent, #cfc5ff);
    --_tint: var(--points-tint, #2b2452);
    --_border: var(--points-border-color, #4a4370);
    --_focus: var(--points-focus-color, #cfc5ff);
  }
  .root[data-theme='dark'] {
    --_surface: var(--points-surface, #17132b);
    --_text: var(--points-color, #f3f1fa);
  }
  /* A number never breaks; a long one may push its word to the next line instead of overflowing. */
  [part~='points'] bdi {
    white-space: nowrap;
  }
  .coin {
    flex: none;
    inline-size: 1.5em;
    block-size: 1.5em;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
    /* A halo of the theme's own surface around the ring: an explicit theme's ring stays visible on a page
       of the other shade (with auto the surface is transparent: the ring sits on the page it matches). */
    box-shadow: 0 0 0 6px var(--_surface);
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .skeleton {
    display: inline-block;
    inline-size: 5ch;
    block-size: 1em;
    vertical-align: middle;
    border-radius: 0.25em;
    background: color-mix(in srgb, currentColor 15%, transparent);
    animation: points-pulse 1.2s ease-in-out infinite alternate;
  }
  @keyframes points-pulse {
    to {
      opacity: 0.4;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
    }
  }
  @media (forced-colors: active) {
    .root {
      border: 1px solid CanvasText;
    }
    /* Scoped to outweigh each element's own borderless buttons (the dialog's, the pay button). */
    .root button {
      border: 1px solid ButtonText;
    }
    .skeleton {
      background: GrayText;
    }
  }
`;

/** The Points coin: a gold coin with a four-point sparkle (decorative). */
export const coinMark = html`<svg
  class="coin"
  part="coin"
  viewBox="0 0 32 32"
  aria-hidden="true"
  focusable="false"
>
  <circle cx="17" cy="17" r="14" fill="#c9781c" />
  <circle cx="15" cy="15" r="14" fill="#ffb52e" />
  <circle cx="15" cy="15" r="10" fill="#ffc94d" />
  <path
    d="M15 7c.9 4.6 3.4 7.1 8 8-4.6.9-7.1 3.4-8 8-.9-4.6-3.4-7.1-8-8 4.6-.9 7.1-3.4 8-8z"
    fill="#fff6d6"
  />
</svg>`;

/** The "i" of the info button (decorative; the button carries the name). */
export const infoMark = html`<svg viewBox="0 0 20 20" aria-hidden="true" focusable="false" class="info-mark">
  <circle cx="10" cy="10" r="8.25" fill="none" stroke="currentColor" stroke-width="1.5" />
  <circle cx="10" cy="6.25" r="1.1" fill="currentColor" />
  <path d="M10 9v5.5" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
</svg>`;

/** The "Learn more" button, which reads as a link. */
export const learnMoreStyles = css`
  .more {
    padding: 0;
    border: 0;
    background: none;
    font-weight: 600;
    text-decoration: underline;
    text-underline-offset: 0.2em;
    min-block-size: 1.5rem;
  }
`;
