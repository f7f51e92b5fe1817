/** What a `<points-pay-button>` asks the edge server to check out (`POST {server}/checkout` body). */
export type CheckoutRequest =
  { orderToken: string } | { orderNumber: string } | { items: { sku: string; quantity: number }[] };
