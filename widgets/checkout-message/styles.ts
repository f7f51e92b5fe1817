import { css } from 'lit';

/** `<points-checkout-message>`: a checkout-stage banner. */
export const checkoutMessageStyles = css`
  :host {
    min-block-size: 7rem;
    line-height: 1.5;
  }
  @media (max-width: 30rem) {
    :host {
      min-block-size: 8.5rem;
    }
  }
  :host(:state(empty)[empty='collapse']) {
    display: none;
  }
  .root {
    display: flex;
    align-items: flex-start;
    gap: 0.75rem;
    padding: 1rem;
    border: 1px solid var(--_border);
    border-inline-start: 0.25rem solid var(--_brand);
    border-radius: var(--_radius);
    background: var(--_tint);
    color: var(--_accent);
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
  .title {
    font-weight: 700;
  }
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
