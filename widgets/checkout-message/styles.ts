import { css } from 'lit';

/**
 * `<points-checkout-message>`: a checkout-stage banner, a bordered panel with the coin mark at the start and
 * the text filling the rest. Top-aligned, so a message that wraps to more lines grows downwards instead of
 * moving.
 */
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
`;
