/**
 * Every Points element, once: its tag and how to load the module that defines it. The served bundle loads
 * each when its tag is on the page, the server renderer loads the one it renders, and the build reads the
 * module paths for `custom-elements.json`.
 */
export const elementModules = {
  'points-product-message': () => import('./product-message/points-product-message.ts'),
  'points-checkout-message': () => import('./checkout-message/points-checkout-message.ts'),
  'points-pay-button': () => import('./pay-button/points-pay-button.ts'),
  'points-order-status': () => import('./order-status/points-order-status.ts'),
};

/** A Points element's tag name. */
export type ElementTag = keyof typeof elementModules;

/** The tags, in the order above. */
export const elementTags = Object.keys(elementModules) as ElementTag[];

/** The element's source module, relative to the repository root (`widgets/<folder>/<tag>.ts`). */
export function elementSourcePath(tag: ElementTag): string {
  return `widgets/${tag.replace(/^points-/, '')}/${tag}.ts`;
}
