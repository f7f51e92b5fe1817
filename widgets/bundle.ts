/**
 * The served widget bundle (`dist/widgets/`): one `<script type="module">` for every Points element.
 * Loading it twice is harmless. It holds Lit and what the elements share; each element's own code is a
 * chunk loaded the first time its tag is on the page, and the info dialog, the pay flow and the
 * order-status poller load when needed. Bundlers import `index.ts` instead, which defines every element.
 */
import { defineWhenSeen } from './shared/define-when-seen.ts';
import { elementModules, elementTags } from './elements.ts';
// Shared by every element: in the entry, so an element's chunk is its own code only.
import './shared/points-element.ts';
import './shared/styles.ts';
import './shared/copy.ts';

// Server-rendered elements (a shadow root before their code loads) are taken over in place. A browser
// that does not parse declarative shadow roots leaves the inert template as a child and has no shadow
// root: the element then renders itself as it would on any page.
const define = () => defineWhenSeen(elementModules);
if (Array.from(document.querySelectorAll(elementTags.join())).some((element) => element.shadowRoot)) {
  import('./ssr/hydrate-support.ts').then(define, define);
} else {
  define();
}

export { formatPoints, formatSar, parseAmount, pointsFor } from './shared/format.ts';
export type { Lang, Numerals } from './shared/format.ts';
export type { PointsConfig } from './shared/config.ts';
export type { PointsProductMessage } from './product-message/points-product-message.ts';
export type { PointsCheckoutMessage } from './checkout-message/points-checkout-message.ts';
export type { PointsPayButton } from './pay-button/points-pay-button.ts';
export type { PointsOrderStatus } from './order-status/points-order-status.ts';
export type { PointsInfoDialog } from './info-dialog/points-info-dialog.ts';
export type * from './shared/events.ts';
