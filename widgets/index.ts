/**
 * The widgets for bundlers (`points-storefront-kit/widgets`): importing this module defines every Points
 * element and exports their classes. Loading it twice is harmless. The info dialog, the pay flow and the
 * order-status poller are lazy chunks, loaded the first time they are needed. The served bundle is
 * `bundle.ts`, which loads each element's code only when its tag is on the page.
 */
export { PointsProductMessage } from './product-message/points-product-message.ts';
export { PointsCheckoutMessage } from './checkout-message/points-checkout-message.ts';
export { PointsPayButton } from './pay-button/points-pay-button.ts';
export { PointsOrderStatus } from './order-status/points-order-status.ts';
export { formatPoints, formatSar, parseAmount, pointsFor } from './shared/format.ts';
export type { Lang, Numerals } from './shared/format.ts';
export type { PointsConfig } from './shared/config.ts';
export type { PointsInfoDialog } from './info-dialog/points-info-dialog.ts';
export type * from './shared/events.ts';
