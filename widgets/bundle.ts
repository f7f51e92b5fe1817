/**
 * The served bundle (`dist/widgets/`): one `<script type="module">` for every Points element.
 * Loading it twice is harmless. It holds Lit, what the elements share and the product message (the page
 * most shoppers see, so it costs no second request); the other elements' code is a chunk loaded the first
 * time its tag is on the page, and the info dialog, the pay flow and the order-status poller load when
 * needed. Bundlers import `index.ts` instead, which defines every element.
 */
import { defineWhenSeen } from './shared/define-when-seen.ts';
import { elementModules } from './elements.ts';
// First: on a page with server-rendered elements it holds their definitions until hydration support is in.
import './ssr/takeover-gate.ts';
import './product-message/points-product-message.ts';

defineWhenSeen(elementModules);

export { formatPoints, formatSar, parseAmount, pointsFor } from './shared/format.ts';
export type { Lang, Numerals } from './shared/format.ts';
export type { PointsConfig } from './shared/config.ts';
export type { PointsProductMessage } from './product-message/points-product-message.ts';
export type { PointsCheckoutMessage } from './checkout-message/points-checkout-message.ts';
export type { PointsPayButton } from './pay-button/points-pay-button.ts';
export type { PointsOrderStatus } from './order-status/points-order-status.ts';
export type { PointsInfoDialog } from './info-dialog/points-info-dialog.ts';
export type * from './shared/events.ts';
