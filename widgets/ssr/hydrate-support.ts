import { adoptStyles, LitElement } from 'lit';
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';

type HydrateSupport = (classes: { LitElement: typeof LitElement }) => void;

/**
 * Lets the elements take over server-rendered markup in place (Lit's hydration) instead of rendering it
 * again. Loaded by the bundle only on pages that hold such markup, after Lit itself, so the support is
 * installed here by hand rather than by Lit as it loads.
 */
(globalThis as { litElementHydrateSupport?: HydrateSupport }).litElementHydrateSupport?.({ LitElement });

const hydratingRenderRoot = LitElement.prototype['createRenderRoot'];
LitElement.prototype['createRenderRoot'] = function (this: LitElement) {
  const serverRendered = this.shadowRoot;
  const root = hydratingRenderRoot.call(this);
  if (serverRendered) {
    // Lit keeps only the server's inline `<style>`, which a CSP without our nonce blocks: the element's
    // own constructed stylesheets (exempt from CSP) are adopted as well.
    adoptStyles(serverRendered, (this.constructor as typeof LitElement).elementStyles);
    // Hydration keeps what the server rendered; one more update shows what only the browser knows (the
    // page's language and shade) as changed text or attributes, not a new render.
    void this.updateComplete.then(() => this.requestUpdate());
  }
  return root;
};
