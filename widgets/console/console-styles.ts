import { css } from 'lit';

/** What every console element shares: logical properties only, so one sheet serves RTL and LTR. */
export const consoleStyles = css`
  :host {
    display: block;
    font:
      16px/1.5 system-ui,
      sans-serif;
    color: #1a1a1a;
  }
  h1,
  h2 {
    margin-block: 0 0.75rem;
    font-size: 1.25rem;
  }
  label {
    display: block;
    font-weight: 600;
    margin-block-end: 0.25rem;
  }
  input,
  select,
  button {
    font: inherit;
    padding: 0.5rem 0.75rem;
    border: 1px solid #555;
    border-radius: 6px;
    min-block-size: 2.75rem;
  }
  button {
    background: #0b5a3a;
    color: #fff;
    cursor: pointer;
  }
  button.secondary {
    background: #fff;
    color: #0b5a3a;
    border-color: #0b5a3a;
  }
  :focus-visible {
    outline: 3px solid #1259c3;
    outline-offset: 2px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: end;
  }
  .error {
    color: #a10000;
  }
  table {
    border-collapse: collapse;
    inline-size: 100%;
  }
  th,
  td {
    text-align: start;
    padding: 0.4rem;
    border-block-end: 1px solid #ccc;
    overflow-wrap: break-word;
  }
  a {
    color: #1259c3;
  }
`;
