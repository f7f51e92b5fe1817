import { css } from 'lit';

/** `<points-order-status>`: a status panel for the return page. */
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
    background: var(--_surface);
    color: var(--_text);
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
  .spinner {
    margin-block: 0.125rem;
    margin-inline: 0.375rem;
    inline-size: 1.25rem;
    block-size: 1.25rem;
    border-width: 0.15rem;
  }
`;
