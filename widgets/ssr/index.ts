/**
 * Server rendering of the Points elements (`points-storefront-kit/ssr`): markup with a declarative shadow
 * root that shows before the script runs and that the script takes over in place.
 */
export { renderWidget, isWidgetTag, WidgetAttributeError } from './render-widget.ts';
export type { RenderWidgetOptions } from './render-widget.ts';
export { pointsInfoUrl } from './no-script.ts';
export type { ElementTag } from '../elements.ts';
