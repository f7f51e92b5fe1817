import { elementTags } from '../elements.ts';
import { holdDefinitions } from '../shared/points-element.ts';

// Server-rendered elements (a shadow root before their code runs) are taken over in place, so the hydration
// support loads before any element is defined. A browser that does not parse declarative shadow roots leaves
// the inert template as a child and no shadow root: the element then renders itself as on any page.
if (Array.from(document.querySelectorAll(elementTags.join())).some((element) => element.shadowRoot)) {
  holdDefinitions(import('./hydrate-support.ts'));
}
