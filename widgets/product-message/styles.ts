import { css } from 'lit';

/** `<points-product-message>`: a compact badge line, or a richer card. */
export const productMessageStyles = css`
  :host {
    min-block-size: 3rem;
    line-height: 1.5;
  }
  :host([appearance='card']) {
    min-block-size: 7rem;
  }
  @media (max-width: 30rem) {
    :host([appearance='card']) {
      min-block-size: 9.5rem;
    }
    .wordmark {
      display: none;
    }
  }
  :host(:state(empty)[empty='collapse']) {
    display: none;
  }
  .root {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding-block: 0.5rem;
    padding-inline: 0.75rem;
    border-radius: var(--_radius);
    background: var(--_tint);
    color: var(--_accent);
  }
  .text {
    flex: 1;
    margin: 0;
  }
  .info {
    flex: none;
    display: grid;
    place-items: center;
    inline-size: 2rem;
    block-size: 2rem;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: var(--_accent);
  }
  .info:hover {
    background: color-mix(in srgb, currentColor 12%, transparent);
  }
  .info-mark {
    inline-size: 1.25rem;
    block-size: 1.25rem;
  }
  .card {
    align-items: flex-start;
    gap: 0.75rem;
    padding: 1rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 1.5);
    background: var(--_surface);
    color: var(--_text);
  }
  .card .coin {
    inline-size: 2.5rem;
    block-size: 2.5rem;
  }
  .card .text strong {
    color: var(--_accent);
  }
  .text > p {
    margin: 0;
  }
  .text > .detail {
    margin-block-start: 0.25rem;
    font-size: 0.875em;
    opacity: 0.85;
  }
  .wordmark {
    flex: none;
    align-self: center;
    padding-block: 0.25rem;
    padding-inline: 0.75rem;
    border-radius: 0.5rem;
    background: var(--_brand);
    color: var(--_on-brand);
    font-weight: 700;
    letter-spacing: 0.01em;
  }
`;
