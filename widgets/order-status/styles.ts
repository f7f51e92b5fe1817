import { css } from 'lit';

/**
 * `<points-order-status>`: a status panel for the return page, the coin mark (or a turning ring while it
 * waits) at the start and the text filling the rest. Top-aligned, so a message that wraps to more lines grows
 * downwards instead of moving.
 */
export const orderStatusStyles = css`
  :host {
    min-block-size: 5.5rem;
    line-height: 1.5;
  }
  @media (max-width: 30rem) {
    :host {
      min-block-size: 7rem;
    }
  }
  .root {
    --_error: var(--points-error-color, #b3261e);
    display: flex;
    align-items: flex-start;
    gap: 0.75rem;
    padding: 1rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
  }
  .root[data-theme~='dark'] {
    --_error: var(--points-error-color, #ffb4ab);
  }
  .root .coin {
    inline-size: 2rem;
    block-size: 2rem;
  }
  .text {
    flex: 1;
  }
  .text > p {
    margin: 0;
  }
  .message {
    font-weight: 600;
  }
  .root[data-state='confirmed'] {
    border-color: var(--_brand);
    background: var(--_tint);
    color: var(--_accent);
  }
  .root[data-state='expired'],
  .root[data-state='not_found'],
  .root[data-state='link_expired'] {
    color: var(--_error);
  }
  /* A turning ring in the current colour; still under reduced motion (baseStyles stops every animation). */
  .spinner {
    flex: none;
    margin-block: 0.125rem;
    margin-inline: 0.375rem;
    inline-size: 1.25rem;
    block-size: 1.25rem;
    border: 0.15rem solid currentColor;
    border-inline-end-color: transparent;
    border-radius: 50%;
    animation: points-spin 0.8s linear infinite;
  }
  @keyframes points-spin {
    to {
      rotate: 1turn;
    }
  }
`;
