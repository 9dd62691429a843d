import type { ShopTable } from './shop-schema.ts';

/**
 * One row per shop table as plain data, exactly as it is loaded: timestamps as ISO strings, money
 * as decimal strings (no float rounding), dates as 'YYYY-MM-DD'.
 */
export interface CustomerRow {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  date_of_birth: string | null;
  created_at: string;
  last_login_at: string | null;
  marketing_opt_in: boolean;
  status: 'active' | 'inactive' | 'closed';
  referred_by: number | null;
}

export interface AddressRow {
  id: number;
  customer_id: number;
  kind: 'billing' | 'shipping';
  street: string;
  city: string;
  postcode: string;
  country: string;
}

export interface OrderRow {
  id: number;
  customer_id: number;
  shipping_address_id: number;
  placed_at: string;
  status: 'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
  total: string;
  currency: string;
  is_gift: boolean;
  gift_recipient_name: string | null;
  gift_message: string | null;
}

export interface OrderItemRow {
  order_id: number;
  line_no: number;
  sku: string;
  name: string;
  qty: number;
  price: string;
}

export interface PaymentRow {
  id: number;
  order_id: number;
  method: 'card' | 'sepa_debit' | 'paypal' | 'invoice';
  card_last4: string | null;
  iban_masked: string | null;
  amount: string;
  paid_at: string;
}

export interface SupportTicketRow {
  id: number;
  customer_id: number;
  subject: string;
  body: string | null;
  created_at: string;
}

export interface MarketingEventRow {
  id: number;
  customer_id: number;
  event_type: string;
  campaign: string;
  occurred_at: string;
}

export interface SessionRow {
  customer_id: number | null;
  ip_address: string | null;
  user_agent: string | null;
  started_at: string;
}

export interface ShopRows {
  customers: CustomerRow[];
  addresses: AddressRow[];
  orders: OrderRow[];
  order_items: OrderItemRow[];
  payments: PaymentRow[];
  support_tickets: SupportTicketRow[];
  marketing_events: MarketingEventRow[];
  sessions: SessionRow[];
}

type ColumnsOf<Row> = readonly (keyof Row & string)[];

/** Column order used to load each table (and to read it back in the same order). */
export const SHOP_COLUMNS: { [Table in ShopTable]: ColumnsOf<ShopRows[Table][number]> } = {
  customers: [
    'id',
    'email',
    'first_name',
    'last_name',
    'phone',
    'date_of_birth',
    'created_at',
    'last_login_at',
    'marketing_opt_in',
    'status',
    'referred_by',
  ],
  addresses: ['id', 'customer_id', 'kind', 'street', 'city', 'postcode', 'country'],
  orders: [
    'id',
    'customer_id',
    'shipping_address_id',
    'placed_at',
    'status',
    'total',
    'currency',
    'is_gift',
    'gift_recipient_name',
    'gift_message',
  ],
  order_items: ['order_id', 'line_no', 'sku', 'name', 'qty', 'price'],
  payments: ['id', 'order_id', 'method', 'card_last4', 'iban_masked', 'amount', 'paid_at'],
  support_tickets: ['id', 'customer_id', 'subject', 'body', 'created_at'],
  marketing_events: ['id', 'customer_id', 'event_type', 'campaign', 'occurred_at'],
  sessions: ['customer_id', 'ip_address', 'user_agent', 'started_at'],
};

export function emptyShopRows(): ShopRows {
  return {
    customers: [],
    addresses: [],
    orders: [],
    order_items: [],
    payments: [],
    support_tickets: [],
    marketing_events: [],
    sessions: [],
  };
}
