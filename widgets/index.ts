/** The widget bundle: one `<script type="module">` defines every Points element. */
export { PointsProductMessage } from './product-message/points-product-message.ts';
export { formatPoints, formatSar, pointsFor } from './shared/format.ts';
