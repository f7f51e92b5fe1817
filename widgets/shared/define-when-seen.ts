/** Loads an element's module (which defines it). */
export type ElementLoader = () => Promise<unknown>;

/**
 * Loads each element's code the first time its tag is on the page (now, or added later), so a product page
 * downloads the product message and not the pay button, the order status or the checkout message. Tags
 * inside other components' shadow roots are not seen: import that element's module there instead. If a
 * module cannot load, every element of that tag reports `points-error` with `code: 'chunk_unavailable'`.
 */
export function defineWhenSeen(loaders: Record<string, ElementLoader>): void {
  const pending = new Map(Object.entries(loaders).filter(([name]) => !customElements.get(name)));
  const load = (name: string) => {
    const loader = pending.get(name);
    if (!loader) return;
    pending.delete(name);
    loader().catch((error: unknown) => {
      for (const element of document.querySelectorAll(name)) {
        element.dispatchEvent(
          new CustomEvent('points-error', {
            detail: { code: 'chunk_unavailable', message: String(error) },
            bubbles: true,
            composed: true,
          }),
        );
      }
    });
  };
  const scan = (root: Element | Document) => {
    for (const name of pending.keys()) {
      if ((root instanceof Element && root.localName === name) || root.querySelector(name)) load(name);
    }
  };
  scan(document);
  if (pending.size === 0) return;
  const watcher = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof Element) scan(node);
    }
    if (pending.size === 0) watcher.disconnect();
  });
  watcher.observe(document.documentElement, { childList: true, subtree: true });
}
