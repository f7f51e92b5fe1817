import { html, render, type RenderOptions, type TemplateResult } from 'lit';

/*
 * Lit's hydration (`hydrate` of @lit-labs/ssr-client, BSD-3-Clause, Google LLC), cut down to what our
 * templates hold: nested templates, text and attribute, property and event bindings; no lists, directives
 * or compiled templates. Anything else, or markup that is not what the template renders, is rendered
 * afresh instead of throwing. It reads Lit's internals by their names in Lit's production build (the ones
 * ssr-client's own production build uses), the only build the bundle ships and the widget tests load.
 */

interface Part {
  type: number;
  strings?: readonly string[];
  /** The value now shown (`_$committedValue`). */
  _$AH: unknown;
  /** The marker that ends a child part (`_$endNode`). */
  _$AB: Node | null;
  /** Sets a value (`_$setValue`); `noCommit` leaves the DOM as it is. */
  _$AI(value: unknown, part: Part, index: number, noCommit: boolean): void;
}

interface TemplatePart {
  type: number;
  index: number;
  name: string;
  strings: readonly string[];
  ctor: new (
    node: Element,
    name: string,
    strings: readonly string[],
    parent: unknown,
    options: RenderOptions,
  ) => Part;
}

interface TemplateInstance {
  /** Its parts, in template order (`_$parts`). */
  _$AV: Part[];
  /** Its template (`_$template`). */
  _$AD: { parts: TemplatePart[] };
}

type ChildPartClass = new (
  start: Node,
  end: Node | null,
  parent: unknown,
  options: RenderOptions,
) => Part & {
  /** The prepared template of a result (`_$getTemplate`). */
  _$AC(result: TemplateResult): unknown;
};
type InstanceClass = new (template: unknown, parent: Part) => TemplateInstance;

// Lit's ChildPart and TemplateInstance classes, read off a throwaway render: taking them from Lit's private
// `_$LH` export would keep that export in the entry every product page loads.
// Lit's development build names them otherwise (a store's dev server may load it): there `Instance` is
// undefined, and every take-over renders afresh instead.
const probe = render(html`-`, document.createDocumentFragment()) as unknown as Part;
const ChildPart = probe.constructor as ChildPartClass;
const Instance = (probe._$AH as object | undefined)?.constructor as InstanceClass | undefined;
// Lit's `PartType` numbers.
const attributePart = 1;
const propertyPart = 3;
const eventPart = 5;

/** A child part being taken over: its value, and for a template how far its parts are bound. */
interface Open {
  part: Part;
  instance?: TemplateInstance;
  result?: TemplateResult;
  templatePart: number;
  value: number;
}

/** A container Lit renders into keeps its root part here; `render` then updates it. */
type Rendered = ShadowRoot & { _$litPart$?: Part };

const digests = new WeakMap<TemplateStringsArray, string>();

/** The digest Lit's server renderer writes in a template's `lit-part` marker. */
function digestOf(strings: TemplateStringsArray): string {
  let digest = digests.get(strings);
  if (digest === undefined) {
    const hashes = new Uint32Array(2).fill(5381);
    for (const text of strings) {
      for (let i = 0; i < text.length; i++) hashes[i % 2] = (hashes[i % 2]! * 33) ^ text.charCodeAt(i);
    }
    digest = btoa(String.fromCharCode(...new Uint8Array(hashes.buffer)));
    digests.set(strings, digest);
  }
  return digest;
}

/** Opens the child part a `lit-part` marker starts: the root's (`rootValue`), or its template's next value. */
function openPart(
  marker: Comment,
  parent: Open | undefined,
  rootValue: unknown,
  options: RenderOptions,
): Open {
  if (parent && !parent.result) throw new Error('a part inside a value');
  const part = new ChildPart(marker, null, parent?.instance, options);
  const open: Open = { part, templatePart: 0, value: 0 };
  let value = rootValue;
  if (parent) {
    parent.instance!._$AV.push(part);
    parent.templatePart++;
    value = parent.result!.values[parent.value++];
  }
  const result = value as TemplateResult | undefined;
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    part._$AH = value;
  } else if (result?.['_$litType$'] !== undefined && marker.data === `lit-part ${digestOf(result.strings)}`) {
    open.instance = new Instance!(part._$AC(result), part);
    open.result = result;
    part._$AH = open.instance;
  } else {
    throw new Error('not the markup this template renders');
  }
  return open;
}

/** Binds the attribute, property and event parts of the element after a `lit-node` marker. */
function bindElement(marker: Comment, open: Open | undefined, options: RenderOptions): void {
  const element = marker.nextElementSibling;
  if (!open?.result || !element) throw new Error('an element marker outside a template');
  const index = Number(marker.data.slice('lit-node '.length));
  const { instance, result } = open;
  for (;;) {
    const templatePart = instance!._$AD.parts[open.templatePart];
    if (templatePart?.index !== index || templatePart.type !== attributePart) break;
    const part = new templatePart.ctor(element, templatePart.name, templatePart.strings, instance, options);
    // One binding takes one value; an attribute made of several (`class="a ${b} ${c}"`) takes them all.
    const value = part.strings === undefined ? result.values[open.value] : result.values;
    // The server wrote the attributes already; events and properties only exist once set.
    part._$AI(value, part, open.value, part.type !== eventPart && part.type !== propertyPart);
    open.value += templatePart.strings.length - 1;
    instance!._$AV.push(part);
    open.templatePart++;
  }
}

function hydrate(value: unknown, root: ShadowRoot, options: RenderOptions): void {
  if (!Instance) throw new Error("not Lit's production build");
  const opened: Open[] = [];
  let rootPart: Part | undefined;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  for (
    let marker = walker.nextNode() as Comment | null;
    marker;
    marker = walker.nextNode() as Comment | null
  ) {
    const parent = opened.at(-1);
    if (marker.data.startsWith('lit-part')) {
      if (!parent && rootPart) throw new Error('a second root part');
      const open = openPart(marker, parent, value, options);
      rootPart ??= open.part;
      opened.push(open);
    } else if (marker.data.startsWith('lit-node')) {
      bindElement(marker, parent, options);
    } else if (marker.data.startsWith('/lit-part')) {
      if (!parent) throw new Error('an unopened part closed');
      parent.part._$AB = marker;
      opened.pop();
    }
  }
  if (!rootPart || opened.length > 0) throw new Error('no root part, or one left open');
  (root as Rendered)['_$litPart$'] = rootPart;
}

/**
 * Makes `value` (an element's first render) drive the server-rendered nodes of `root` in place, as Lit's
 * `hydrate` does; markup that does not match is replaced by a fresh render.
 *
 * @example takeOver(element.render(), element.shadowRoot, element.renderOptions)
 */
export function takeOver(value: unknown, root: ShadowRoot, options: RenderOptions): void {
  try {
    hydrate(value, root, options);
  } catch {
    delete (root as Rendered)['_$litPart$'];
    options.renderBefore = null;
    root.replaceChildren();
    render(value, root, options);
  }
}
