import { css } from 'lit';

/** `<points-pay-button>`: a full-width brand button with an inline error and retry. */
export const payButtonStyles = css`
  :host {
    min-block-size: 3rem;
  }
  .root {
    --_error: var(--points-error-color, #b3261e);
  }
  .root[data-theme~='dark'] {
    --_error: var(--points-error-color, #ffb4ab);
  }
  .pay {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    inline-size: 100%;
    min-block-size: 3rem;
    padding-block: 0.625rem;
    padding-inline: 1.25rem;
    border: 0;
    border-radius: var(--_radius);
    background: var(--_brand);
    color: var(--_on-brand);
    font-weight: 700;
  }
  .pay:hover {
    background: color-mix(in srgb, var(--_brand) 88%, black);
  }
  .pay:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  .pay[aria-busy='true'] {
    cursor: progress;
  }
  /* A turning ring in the current colour; still under reduced motion (baseStyles stops every animation). */
  .spinner {
    flex: none;
    inline-size: 1.1em;
    block-size: 1.1em;
    border: 0.15em solid currentColor;
    border-inline-end-color: transparent;
    border-radius: 50%;
    animation: points-spin 0.8s linear infinite;
  }
  @keyframes points-spin {
    to {
      rotate: 1turn;
    }
  }
  .error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.75rem;
    margin-block-start: 0.5rem;
    padding-block: 0.25rem;
    padding-inline: 0.5rem;
    border-radius: 0.5rem;
    background: var(--_surface);
    color: var(--_error);
  }
  .retry {
    padding-block: 0.25rem;
    padding-inline: 0.75rem;
    min-block-size: 1.75rem;
    border: 1px solid currentColor;
    border-radius: 0.5rem;
    background: transparent;
    font-weight: 600;
  }
  @media (forced-colors: active) {
    .root .pay {
      border: 2px solid ButtonText;
    }
  }
`;
