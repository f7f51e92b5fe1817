/**
 * A valid `approved` Points webhook body whose dedupe key is unique for each `n` (distinct order id and
 * `updated_at`), so the edge stores every one instead of answering "duplicate".
 */
export function approvedWebhookBody(n: number): string {
  const at = new Date(Date.UTC(2026, 0, 1) + n).toISOString();
  const id = `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  return JSON.stringify({
    event: 'approved',
    timestamp: at,
    order: {
      id,
      reference_number: `REF-2026-${n}`,
      order_number: `BENCH-${n}`,
      type: 'replacing',
      total_price: 199,
      total_points: 0,
      payment_status: 'fully_paid',
      order_status: 'approved',
      metadata: null,
      created_at: at,
      updated_at: at,
    },
  });
}
