import { LitElement, ReactiveElement, type PropertyValues } from 'lit';
import { takeOver } from './take-over.ts';

/**
 * Lets the elements take over server-rendered markup in place instead of rendering it again. Loaded by the
 * bundle only on pages that hold such markup, before any element is defined (see takeover-gate.ts).
 */
const serverRendered = new WeakSet<LitElement>();

const litRenderRoot = LitElement.prototype['createRenderRoot'];
LitElement.prototype['createRenderRoot'] = function (this: LitElement) {
  if (!this.shadowRoot) return litRenderRoot.call(this);
  serverRendered.add(this);
  // Hydration keeps what the server rendered; one more update shows what only the browser knows (the
  // page's language and shade) as changed text or attributes, not a new render.
  void this.updateComplete.then(() => this.requestUpdate());
  // Lit's own: it keeps the shadow root the HTML parser attached and adopts the element's constructed
  // stylesheets into it, which a CSP without our nonce (blocking the server's inline `<style>`) allows.
  return ReactiveElement.prototype['createRenderRoot'].call(this);
};

const litUpdate = LitElement.prototype['update'];
LitElement.prototype['update'] = function (this: LitElement, changed: PropertyValues) {
  if (!serverRendered.delete(this)) return litUpdate.call(this, changed);
  const value = this['render']();
  this.renderOptions.isConnected = this.isConnected;
  ReactiveElement.prototype['update'].call(this, changed);
  takeOver(value, this.renderRoot as ShadowRoot, this.renderOptions);
};
