/** The hosted pages' stylesheet: Points look (purple brand, black primary buttons), logical properties only. */
export const checkoutCss = `
:root {
  --brand: #5b3fd6;
  --brand-dark: #4329b0;
  --ink: #111114;
  --muted: #4d4d5c;
  --surface: #ffffff;
  --page: #f6f6f8;
  --line: #c9c9d3;
  --error: #b3261e;
  color-scheme: light;
  font-family: system-ui, 'Segoe UI', Tahoma, 'Noto Sans Arabic', sans-serif;
  color: var(--ink);
  background: var(--page);
}
* { box-sizing: border-box; }
body { margin: 0; min-block-size: 100vh; }
.top {
  display: flex; align-items: center; gap: 1rem; padding: 1rem 1.5rem;
  background: var(--surface); border-block-end: 1px solid #ececf1;
}
.logo { font-weight: 800; font-size: 1.6rem; position: relative; padding-inline-end: 0.6rem; }
.logo .dot {
  position: absolute; inset-block-start: 0.1rem; inset-inline-end: 0; inline-size: 0.6rem; block-size: 0.6rem;
  border-radius: 50%; background: var(--brand);
}
.lang { margin-inline-start: auto; color: var(--brand-dark); }
.cancel-form { margin: 0; }
.close {
  inline-size: 2.5rem; block-size: 2.5rem; border-radius: 50%; border: 0; background: #e9e9ef;
  font-size: 1.4rem; cursor: pointer; color: var(--ink);
}
.card {
  max-inline-size: 32rem; margin: 2rem auto; padding: 2rem; background: var(--surface); border-radius: 1.5rem;
}
h1 { text-align: center; font-size: 1.6rem; margin-block: 0 1.5rem; }
h2 { font-size: 1rem; margin-block: 0 0.75rem; }
.visually-hidden {
  position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;
}
dl { margin: 0; }
dl > div { display: flex; justify-content: space-between; gap: 1rem; padding-block: 0.35rem; }
dt { color: var(--muted); }
dd { margin: 0; font-weight: 700; }
.summary, .balance, .phone-box, .due {
  background: var(--page); border-radius: 1rem; padding: 1rem 1.25rem; margin-block-end: 1.25rem;
}
.merchant { margin-block: 0 0.5rem; font-weight: 700; }
.field { margin-block: 1rem; }
.field label, legend { display: block; font-weight: 700; margin-block-end: 0.35rem; }
.hint { color: var(--muted); margin-block: 0 0.35rem; font-size: 0.9rem; }
.error { color: var(--error); margin-block: 0 0.35rem; font-weight: 600; }
input[type='text'], input[type='tel'], input[type='number'] {
  inline-size: 100%; padding: 0.8rem 1rem; font-size: 1.1rem; border: 1px solid var(--line); border-radius: 0.75rem;
}
.invalid input { border: 2px solid var(--error); }
input:focus-visible, button:focus-visible, a:focus-visible, fieldset:focus-visible {
  outline: 3px solid var(--brand); outline-offset: 2px;
}
fieldset { border: 0; padding: 0; margin: 0 0 1rem; }
.choice {
  display: flex; align-items: center; gap: 0.75rem; border: 1px solid var(--line); border-radius: 0.75rem;
  padding: 0.9rem 1rem; margin-block: 0.6rem;
}
.choice input { inline-size: 1.25rem; block-size: 1.25rem; accent-color: var(--ink); }
.choice:has(input:checked) { border: 2px solid var(--ink); }
.amount { color: var(--muted); }
button, .button { font: inherit; }
.primary, .secondary {
  display: block; inline-size: 100%; padding: 0.95rem; border-radius: 0.9rem; font-weight: 700; font-size: 1.05rem;
  cursor: pointer; text-align: center; text-decoration: none; margin-block-start: 1rem;
}
.primary { background: var(--ink); color: #fff; border: 0; }
.secondary { background: #f1f1f6; color: var(--ink); border: 1px solid var(--line); }
.buttons { display: flex; gap: 1rem; }
.link { background: none; border: 0; padding: 0; color: var(--brand-dark); text-decoration: underline; cursor: pointer; }
.notice { background: #f3effe; border-inline-start: 4px solid var(--brand); padding: 0.75rem 1rem; border-radius: 0.5rem; }
.error-summary { border: 2px solid var(--error); border-radius: 0.75rem; padding: 0.75rem 1rem; margin-block-end: 1rem; }
.error-summary a { color: var(--error); }
.icon {
  margin: 0 auto 1rem; inline-size: 4rem; block-size: 4rem; border-radius: 50%; background: var(--brand);
  color: #fff; font-size: 2rem; font-weight: 800; display: grid; place-items: center;
}
.confirm-text { line-height: 1.8; }
.sandbox-note { text-align: center; color: var(--muted); font-size: 0.9rem; }
`;
