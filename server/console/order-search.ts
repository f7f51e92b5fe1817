import { sql, type Kysely } from 'kysely';
import { orderView, type OrderView } from '../admin/operations.ts';
import type { OrderState } from '../orders/order-state.ts';
import { maskPhone, normalizeSaudiPhone } from '../shared/saudi-phone.ts';
import type { Database } from '../store/schema.ts';
import { containing } from './like-pattern.ts';

/** The console's order search; every field optional (none lists the latest orders). */
export interface ConsoleOrderQuery {
  /** An order number, a Points reference number, or a phone in any format people type. */
  q?: string;
  state?: OrderState;
  /** Orders created on or after this day (UTC, `YYYY-MM-DD`). */
  from?: string;
  /** Orders created on or before this day (UTC, `YYYY-MM-DD`). */
  to?: string;
  limit?: number;
}

/** An order in the console's list: {@link OrderView} and the customer's phone, masked, when we know it. */
export interface ConsoleOrderRow extends OrderView {
  phone: string | null;
}

const dayMs = 86_400_000;

/**
 * Orders matching the query, most recently changed first. A `q` that reads as a Saudi mobile number
 * (`normalizeSaudiPhone`) finds the orders whose earning call or store-platform facts carry that phone;
 * anything else is an exact order or reference number. The phone is answered masked (`+96650*****01`).
 * Checkout orders keep no phone here (Points has it), so they are found by number or reference.
 */
export async function searchOrders(
  db: Kysely<Database>,
  query: ConsoleOrderQuery,
): Promise<ConsoleOrderRow[]> {
  let select = db.selectFrom('orders').selectAll();
  const text = query.q?.trim();
  const phone = text ? normalizeSaudiPhone(text) : undefined;
  if (phone) {
    const earned = db
      .selectFrom('earnings')
      .select('reference')
      .where(sql<boolean>`request like ${containing(`"phone_number":"${phone}"`)} escape '\\'`);
    const platform = db
      .selectFrom('connector_orders')
      .select('key')
      .where(sql<boolean>`facts like ${containing(`"phone":"${phone}"`)} escape '\\'`);
    select = select.where((eb) =>
      eb.or([eb('order_number', 'in', earned), eb('order_number', 'in', platform)]),
    );
  } else if (text) {
    select = select.where((eb) => eb.or([eb('order_number', '=', text), eb('reference_number', '=', text)]));
  }
  if (query.state) select = select.where('state', '=', query.state);
  if (query.from) select = select.where('created_at', '>=', Date.parse(`${query.from}T00:00:00Z`));
  if (query.to) select = select.where('created_at', '<', Date.parse(`${query.to}T00:00:00Z`) + dayMs);
  const rows = await select
    .orderBy('updated_at', 'desc')
    .orderBy('order_number')
    .limit(query.limit ?? 50)
    .execute();
  const phones = await phonesOf(
    db,
    rows.map((row) => row.order_number),
  );
  return rows.map((row) => {
    const known = phones.get(row.order_number);
    return { ...orderView(row), phone: known ? maskPhone(known) : null };
  });
}

/** The phones (`5XXXXXXXX`) our earning calls and platform facts hold for these orders. */
async function phonesOf(db: Kysely<Database>, orderNumbers: string[]): Promise<Map<string, string>> {
  const phones = new Map<string, string>();
  if (orderNumbers.length === 0) return phones;
  const earnings = await db
    .selectFrom('earnings')
    .select(['reference', 'request'])
    .where('kind', '=', 'purchase')
    .where('reference', 'in', orderNumbers)
    .execute();
  const facts = await db
    .selectFrom('connector_orders')
    .select(['key', 'facts'])
    .where('key', 'in', orderNumbers)
    .execute();
  const read = (json: string, field: string) => {
    try {
      const value = (JSON.parse(json) as Record<string, unknown>)[field];
      return typeof value === 'string' ? normalizeSaudiPhone(value) : undefined;
    } catch {
      return undefined;
    }
  };
  for (const row of facts) {
    const phone = read(row.facts, 'phone');
    if (phone) phones.set(row.key, phone);
  }
  for (const row of earnings) {
    const phone = read(row.request, 'phone_number');
    if (phone) phones.set(row.reference, phone);
  }
  return phones;
}
