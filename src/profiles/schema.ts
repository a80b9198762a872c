/**
 * Row types of the profile store's tables, for kysely. Every time is epoch milliseconds in a
 * bigint column, so both engines compare and sort times as plain integers.
 */
export interface ProfilesTable {
  /** The Customer.io userId. */
  customer_id: string;
  /** SHA-256 hex digests; a column that held several digests stores them as a JSON array. */
  em: string | null;
  ph: string | null;
  fn: string | null;
  ln: string | null;
  ge: string | null;
  db: string | null;
  ct: string | null;
  st: string | null;
  zp: string | null;
  country: string | null;
  external_id: string | null;
  /** Plain identifiers, sent to Meta as given. */
  fbp: string | null;
  fbc: string | null;
  client_ip_address: string | null;
  client_user_agent: string | null;
  /** Source time of the newest identifier write: the guard of the identifier group. */
  identifiers_updated_at: number | null;
  /** The `lifetime_value` trait from the newest identify, and that identify's time. */
  trait_lifetime_value: number | null;
  trait_lifetime_value_at: number | null;
  /** The `orders_count` trait from the newest identify, and that identify's time. */
  trait_orders_count: number | null;
  trait_orders_count_at: number | null;
  /** Trait value plus the orders placed after that trait's time. */
  lifetime_value: number;
  orders_count: number;
  last_order_at: number | null;
  /** The newest source time of any write to this profile. */
  updated_at: number;
  /** Source time of the write that lifted lifetime_value to the VIP threshold; null below it. */
  vip_qualified_at: number | null;
}

export interface OrdersTable {
  order_id: string;
  customer_id: string;
  order_value: number;
  ordered_at: number;
}

export interface SignalsSentTable {
  /** `vip_qualified` or `winback:<days>d`. */
  signal: string;
  customer_id: string;
  /** `lifetime` for VIP; the last order's UTC date as YYYYMMDD for winback. */
  period: string;
  event_id: string;
  /** `sent`, or `skipped` when the event was already older than Meta accepts. */
  status: string;
  sent_at: number;
}

export interface DeliveriesTable {
  pixel_id: string;
  event_name: string;
  event_id: string;
  status: string;
  fbtrace_id: string | null;
  sent_at: number;
}

export interface Database {
  profiles: ProfilesTable;
  orders: OrdersTable;
  signals_sent: SignalsSentTable;
  deliveries: DeliveriesTable;
  rejected_calls: RejectedCallsTable;
}

export interface RejectedCallsTable {
  id: string;
  /** Epoch ms. */
  received_at: number;
  route: string;
  request_id: string;
  message_id: string | null;
  /** JSON array of `{ path, code, message }`. */
  errors: string;
  /** JSON of the sealed call, or null when nothing could be kept. */
  call: string | null;
}
