import { z } from 'zod';
import { sarAmount, type ResolvedOrder } from './resolved-order.ts';

/** A priced catalog: SKU → name and unit price. The demo store and simple shops price orders from it. */
export type Catalog = Map<string, { name: string; priceHalalas: number }>;

const catalogFileSchema = z.object({
  products: z
    .array(
      z.object({
        sku: z.string().trim().min(1).max(100),
        name: z.string().trim().min(1).max(255),
        price: sarAmount.refine((halalas) => halalas > 0, 'must be more than 0'),
      }),
    )
    .min(1),
});

/**
 * Reads a catalog file: `{ "products": [{ "sku": "COFFEE-SET", "name": "Arabic coffee set", "price": "199.00" }] }`.
 * Throws naming the first bad entry; duplicate SKUs are an error, not a silent override. The runtime reads
 * the file (`readTextFile`: `node:fs` on Node).
 *
 * @example
 * const catalog = await loadCatalog(config.catalogFile, ports.readTextFile);
 */
export async function loadCatalog(
  path: string,
  readTextFile: (path: string) => Promise<string>,
): Promise<Catalog> {
  const parsed = catalogFileSchema.safeParse(JSON.parse(await readTextFile(path)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Catalog ${path}: ${issue.path.join('.')} ${issue.message}`);
  }
  const catalog: Catalog = new Map();
  for (const product of parsed.data.products) {
    if (catalog.has(product.sku)) throw new Error(`Catalog ${path}: SKU ${product.sku} appears twice`);
    catalog.set(product.sku, { name: product.name, priceHalalas: product.price });
  }
  return catalog;
}

/** Thrown when a cart names a SKU the catalog does not have. */
export class UnknownSkuError extends Error {
  readonly sku: string;
  constructor(sku: string) {
    super(`Unknown SKU ${sku}`);
    this.name = 'UnknownSkuError';
    this.sku = sku;
  }
}

/** Most units of one SKU a cart may hold, however many lines it is spread over. */
export const maxQuantityPerSku = 1000;

/** Thrown when a cart holds more than {@link maxQuantityPerSku} units of a SKU. */
export class QuantityLimitError extends Error {
  readonly sku: string;
  constructor(sku: string) {
    super(`More than ${maxQuantityPerSku} of SKU ${sku}`);
    this.name = 'QuantityLimitError';
    this.sku = sku;
  }
}

/**
 * Prices a cart from the catalog; the browser sends only SKUs and quantities, never prices.
 * Repeated SKUs are merged, and the merged quantity is held to {@link maxQuantityPerSku}.
 */
export function priceCart(
  catalog: Catalog,
  orderNumber: string,
  items: ReadonlyArray<{ sku: string; quantity: number }>,
): ResolvedOrder {
  const quantities = new Map<string, number>();
  for (const item of items) quantities.set(item.sku, (quantities.get(item.sku) ?? 0) + item.quantity);
  const products = [...quantities].map(([sku, quantity]) => {
    const product = catalog.get(sku);
    if (!product) throw new UnknownSkuError(sku);
    if (quantity > maxQuantityPerSku) throw new QuantityLimitError(sku);
    return { name: product.name, priceHalalas: product.priceHalalas, quantity };
  });
  const totalHalalas = products.reduce((sum, product) => sum + product.priceHalalas * product.quantity, 0);
  return { orderNumber, totalHalalas, products };
}
