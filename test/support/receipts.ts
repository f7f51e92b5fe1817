import { receiptJob, type ReceiptWrite } from '../../server/webhooks/receipt-writer.ts';

/** A received webhook to store, with its processing job. */
export function receiptWrite(id: string, dedupeKey: string | null): ReceiptWrite {
  return {
    row: {
      id,
      dedupe_key: dedupeKey,
      event: 'approved',
      points_order_id: null,
      raw_body: '{}',
      status: 'received',
      error: null,
      received_at: 1,
      processed_at: null,
    },
    job: receiptJob,
  };
}
