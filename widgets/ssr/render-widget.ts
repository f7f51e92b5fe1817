import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { nothing } from 'lit';
import { html, unsafeStatic } from 'lit/static-html.js';
import { minifiedCss } from '../shared/minified-css.ts';
import { elementModules, elementTags, type ElementTag } from '../elements.ts';
import type { Lang } from '../shared/format.ts';
import { attributeErrors, globalAttributes, type AttributeErrors } from './widget-attributes.ts';
import { noScriptFallback } from './no-script.ts';

/** Options for {@link renderWidget}. */
export interface RenderWidgetOptions {
  /** The page's CSP nonce: every `<style>` the markup holds carries it, so a strict CSP applies them. */
  nonce?: string;
  /** Points per SAR for an element that shows an estimate and was given no `earn-rate` of its own. */
  earnRate?: number;
}

/** Attributes that cannot be rendered: `errors` names each bad one. */
export class WidgetAttributeError extends Error {
  readonly errors: AttributeErrors;

  constructor(message: string, errors: AttributeErrors) {
    super(message);
    this.name = 'WidgetAttributeError';
    this.errors = errors;
  }
}

const nonceShape = /^[A-Za-z0-9+/_=-]{1,256}$/;

/** Is `tag` one of our elements? */
export function isWidgetTag(tag: string): tag is ElementTag {
  return (elementTags as string[]).includes(tag);
}

/**
 * Renders one of our elements on the server from the attributes a page would give it: the element with
 * a declarative shadow root (`<template shadowrootmode="open">`) holding what the browser would render,
 * styles included, so it shows before (and without) the script; the script later takes it over in place.
 * Attribute values are escaped; unknown attributes and bad values throw a {@link WidgetAttributeError}.
 *
 * @example
 * const markup = await renderWidget('points-product-message', { amount: '199', 'earn-rate': '10', lang: 'ar' });
 */
export async function renderWidget(
  tag: ElementTag,
  attributes: Record<string, string | number | undefined> = {},
  options: RenderWidgetOptions = {},
): Promise<string> {
  if (!isWidgetTag(tag)) {
    throw new WidgetAttributeError(`${String(tag)} is not a Points element`, {
      tag: [`must be one of ${elementTags.join(', ')}`],
    });
  }
  if (options.nonce !== undefined && !nonceShape.test(options.nonce)) {
    throw new WidgetAttributeError('the nonce is not a CSP nonce', {
      nonce: ['must be base64 characters, as a CSP nonce is'],
    });
  }
  const given = Object.fromEntries(
    Object.entries(attributes)
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([name, value]) => [name, String(value)]),
  );
  await elementModules[tag]();
  const element = customElements.get(tag) as unknown as { observedAttributes: string[] };
  if (options.earnRate !== undefined && element.observedAttributes.includes('earn-rate')) {
    given['earn-rate'] ??= String(options.earnRate);
  }
  const errors = attributeErrors(given, element.observedAttributes);
  if (Object.keys(errors).length > 0) {
    throw new WidgetAttributeError(`${tag}: ${Object.keys(errors).join(', ')} cannot be rendered`, errors);
  }
  const names = [...new Set([...element.observedAttributes, ...globalAttributes])];
  const markup = await collectResult(render(elementTemplate(tag, names, given)));
  const lang: Lang = (given.lang ?? '').toLowerCase().startsWith('en') ? 'en' : 'ar';
  return finish(markup, tag, Object.keys(given), lang, options.nonce);
}

/**
 * `<tag name=${value}…></tag>` with every name the element may carry, in one order, an absent one bound to
 * `nothing` (Lit leaves it out); the values are bindings, which Lit escapes. One template an element: Lit
 * keeps every distinct template for good, so one per order or subset of the names a query gives would let
 * strangers grow the heap without end (20,000 shuffled queries held 43 MB).
 */
function elementTemplate(tag: ElementTag, names: readonly string[], attributes: Record<string, string>) {
  const strings = ['<', ...names.map((name) => ` ${name}=`), '></', '>'];
  const values = [unsafeStatic(tag), ...names.map((name) => attributes[name] ?? nothing), unsafeStatic(tag)];
  return html(Object.assign(strings, { raw: strings }), ...values);
}

/**
 * The element's opening tag with its attributes in the order the page gave them (those the element adds
 * itself after), one space apart. Lit escapes `"` and `>` in values, so each `name="…"` is read whole.
 */
function openingTag(tag: string, attributes: string, givenOrder: readonly string[]): string {
  const rank = (name: string) => {
    const at = givenOrder.indexOf(name);
    return at === -1 ? givenOrder.length : at;
  };
  const found = [...attributes.matchAll(/([a-z-]+)(="[^"]*")?/g)].map(([whole, name]) => ({
    whole,
    name: name!,
  }));
  found.sort((a, b) => rank(a.name) - rank(b.name));
  return `<${tag}${found.map(({ whole }) => ` ${whole}`).join('')}>`;
}

/**
 * The page needs no markers for the outer template (nothing hydrates it): only the element's own. Its
 * styles are minified and carry the nonce, and the fallback for pages without JavaScript closes its
 * shadow root.
 */
function finish(
  markup: string,
  tag: ElementTag,
  givenOrder: readonly string[],
  lang: Lang,
  nonce: string | undefined,
): string {
  const styleAttributes = nonce ? ` nonce="${nonce}"` : '';
  const outer = /^<!--lit-part [^>]*-->(?:<!--lit-node \d+-->)?([\s\S]*)<!--\/lit-part-->$/.exec(markup);
  const element = (outer?.[1] ?? markup).replace(/^<([a-z-]+)([^>]*)>/, (_, name: string, rest: string) =>
    openingTag(name, rest, givenOrder),
  );
  return element
    .replace(
      /<style>([\s\S]*?)<\/style>/g,
      (_, css: string) => `<style${styleAttributes}>${minifiedCss(css)}</style>`,
    )
    .replace(
      /<\/template><\/([a-z-]+)>$/,
      (_, name: string) => `${noScriptFallback(tag, lang, styleAttributes)}</template></${name}>`,
    );
}
