import { randomBytes, randomUUID } from 'node:crypto';
import { channels, type Channel } from './options.ts';

export type OrderStatus =
  'new' | 'approved' | 'authorized' | 'captured' | 'cancelled' | 'fully_refunded' | 'partially_refunded';

export const shippingStatuses = [
  'new',
  'license_in_progress',
  'ready_shipping',
  'delivery_is_in_progress',
  'delivered',
  'cancelled',
] as const;
export type ShippingStatus = (typeof shippingStatuses)[number];

export interface ProductLine {
  product_name: string;
  product_price: number;
  quantity: number;
}

export interface Merchant {
  id: number;
  name: string;
  publicKey: string;
  privateKey: string;
  /** The key's `status` flag: an inactive key fails authentication. */
  keyActive: boolean;
  /** The key's `integration_active` flag (§2.14); does not affect authentication. */
  integrationActive: boolean;
  verified: boolean;
  channels: Record<Channel, boolean>;
  earnRate: number;
  earningLocked: boolean;
  integrationCalls: number[];
}

/** Internal order: REST and webhooks expose a subset (see orders/resource.ts). */
export interface Order {
  id: number;
  uuid: string;
  merchantId: number;
  referenceNumber: string;
  orderNumber: string;
  /** 1 earning, 2 replacing. */
  type: 1 | 2;
  totalHalalas: number;
  shippingHalalas: number | null;
  taxHalalas: number | null;
  discountHalalas: number | null;
  shippingAddress: { city?: string | null; line1?: string | null } | null;
  totalPoints: number;
  orderStatus: OrderStatus;
  shippingStatus: ShippingStatus;
  customStatus: { ar: string; en: string } | null;
  metadata: Record<string, unknown> | null;
  items: ProductLine[] | null;
  settlementStatus: string | null;
  phone: string | null;
  name: string | null;
  callbackUrl: string | null;
  paymentMethod: string | null;
  /** Points the customer redeemed in the hosted checkout (internal only). */
  redeemedPoints: number;
  /** The part paid by card in the hosted checkout (internal only). */
  cashHalalas: number;
  refundedHalalas: number;
  refundedPoints: number;
  cancelReason: string | null;
  createdAt: number;
  updatedAt: number;
}

export type AccountState = 'active' | 'pending' | 'none';

export interface Customer {
  phone: string;
  account: AccountState;
  balance: number;
}

export interface PendingEarning {
  id: number;
  merchantId: number;
  phone: string;
  orderNumber: string;
  totalHalalas: number;
  totalPoints: number;
}

export type SessionStep = 'phone' | 'otp' | 'redeem' | 'confirm' | 'pay' | 'done';

/** Why a session is over. */
export type SessionEnd = 'paid' | 'cancelled' | 'payment_failed' | 'expired' | 'replaced';

export interface Session {
  id: string;
  orderUuid: string;
  merchantId: number;
  expiresAt: number;
  step: SessionStep;
  /** The phone the customer is verifying or verified; null when paying without Points. */
  phone: string | null;
  verified: boolean;
  redeemPoints: number;
  ended: SessionEnd | null;
}

export interface Webhook {
  uuid: string;
  merchantId: number;
  name: string;
  url: string;
  secret: string;
  createdAt: number;
  updatedAt: number;
}

export interface MerchantInit {
  publicKey: string;
  privateKey: string;
  name?: string;
  earnRate: number;
}

/** Fixture customers (§1.2); any other valid phone is an active account with a zero balance. */
export const fixturePhones = {
  withBalance: '500000001',
  zeroBalance: '500000002',
  noAccount: '500000003',
  pendingActivation: '500000004',
} as const;
export const fixtureBalance = 5000;

/** A webhook secret like the backend's: 60 hex characters. */
export function newWebhookSecret(): string {
  return randomBytes(30).toString('hex');
}

/** All sandbox state, in memory. */
/** What every order starts with, whatever created it. */
const freshOrder = {
  shippingStatus: 'new',
  customStatus: null,
  settlementStatus: null,
  paymentMethod: null,
  redeemedPoints: 0,
  cashHalalas: 0,
  refundedHalalas: 0,
  refundedPoints: 0,
  cancelReason: null,
} satisfies Partial<Order>;

export class SandboxStore {
  merchants: Merchant[] = [];
  orders = new Map<string, Order>();
  customers = new Map<string, Customer>();
  pendingEarnings: PendingEarning[] = [];
  sessions = new Map<string, Session>();
  webhooks: Webhook[] = [];
  private nextOrderId = 1;
  private nextMerchantId = 1;

  constructor() {
    this.clear();
  }

  clear(): void {
    this.merchants = [];
    this.orders.clear();
    this.sessions.clear();
    this.webhooks = [];
    this.pendingEarnings = [];
    this.nextOrderId = 1;
    this.nextMerchantId = 1;
    this.customers = new Map<string, Customer>([
      [
        fixturePhones.withBalance,
        { phone: fixturePhones.withBalance, account: 'active', balance: fixtureBalance },
      ],
      [fixturePhones.zeroBalance, { phone: fixturePhones.zeroBalance, account: 'active', balance: 0 }],
      [fixturePhones.noAccount, { phone: fixturePhones.noAccount, account: 'none', balance: 0 }],
      [
        fixturePhones.pendingActivation,
        { phone: fixturePhones.pendingActivation, account: 'pending', balance: 0 },
      ],
    ]);
  }

  addMerchant(init: MerchantInit): Merchant {
    const taken = this.merchants.some(
      (m) => m.publicKey === init.publicKey || m.privateKey === init.privateKey,
    );
    if (taken) throw new Error('A merchant with this public or private key already exists.');
    const id = this.nextMerchantId++;
    const merchant: Merchant = {
      id,
      name: init.name ?? `Sandbox merchant ${id}`,
      publicKey: init.publicKey,
      privateKey: init.privateKey,
      keyActive: true,
      integrationActive: true,
      verified: true,
      channels: Object.fromEntries(channels.map((channel) => [channel, true])) as Record<Channel, boolean>,
      earnRate: init.earnRate,
      earningLocked: false,
      integrationCalls: [],
    };
    this.merchants.push(merchant);
    return merchant;
  }

  customer(phone: string): Customer {
    let customer = this.customers.get(phone);
    if (!customer) {
      customer = { phone, account: 'active', balance: 0 };
      this.customers.set(phone, customer);
    }
    return customer;
  }

  /** A new order: shipping `new`, nothing paid, redeemed, refunded or cancelled yet. */
  newOrder(
    fields: Omit<
      Order,
      'id' | 'uuid' | 'referenceNumber' | 'createdAt' | 'updatedAt' | keyof typeof freshOrder
    >,
    now: number,
  ): Order {
    const id = this.nextOrderId++;
    const year = new Date(now).getUTCFullYear();
    const order: Order = {
      ...freshOrder,
      ...fields,
      id,
      uuid: randomUUID(),
      referenceNumber: `REF-${year}-${String(id).padStart(6, '0')}`,
      createdAt: now,
      updatedAt: now,
    };
    this.orders.set(order.uuid, order);
    return order;
  }

  findOrder(merchantId: number, type: 1 | 2, orderNumber: string): Order[] {
    return [...this.orders.values()].filter(
      (o) => o.merchantId === merchantId && o.type === type && o.orderNumber === orderNumber,
    );
  }

  newPendingEarning(fields: Omit<PendingEarning, 'id'>): PendingEarning {
    const pending = { ...fields, id: this.nextOrderId++ };
    this.pendingEarnings.push(pending);
    return pending;
  }

  newSession(order: Order, expiresAt: number): Session {
    const session: Session = {
      id: randomBytes(12).toString('base64url'),
      orderUuid: order.uuid,
      merchantId: order.merchantId,
      expiresAt,
      step: 'phone',
      phone: null,
      verified: false,
      redeemPoints: 0,
      ended: null,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  sessionForOrder(uuid: string): Session | undefined {
    return [...this.sessions.values()].find((s) => s.orderUuid === uuid);
  }
}
