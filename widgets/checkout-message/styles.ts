import { css } from 'lit';

/** `<points-checkout-message>`: a checkout-stage banner. */
export const checkoutMessageStyles = css`
  :host {
    min-block-size: 7rem;
    line-height: 1.5;
  }
  /* Five lines: the English body wraps to four in a 343 px column with a wide font (DejaVu Sans). */
  @media (max-width: 30rem) {
    :host {
      min-block-size: 9.75rem;
    }
  }
  :host(:state(empty)[empty='collapse']) {
    display: none;
  }
  .root {
    border-inline-start: 0.25rem solid var(--_brand);
    background: var(--_tint);
    color: var(--_accent);
  }
  .title {
    font-weight: 700;
  }
`;
