import type { Kysely } from 'kysely';
import type { UserData } from '../meta/types';
import type { Database } from './schema';
import type { TimeInput } from './time';

/** The identify trait names that carry order totals. */
export interface TraitNames {
  /** Trait holding the customer's lifetime value, in the store's currency. @default 'lifetime_value' */
  lifetimeValue: string;
  /** Trait holding the last order time (epoch seconds, epoch ms or ISO 8601). @default 'last_order_at' */
  lastOrderAt: string;
  /** Trait holding the number of orders. @default 'orders_count' */
  ordersCount: string;
}

export const DEFAULT_TRAIT_NAMES: TraitNames = {
  lifetimeValue: 'lifetime_value',
  lastOrderAt: 'last_order_at',
  ordersCount: 'orders_count',
};

export interface IdentifyUpdate {
  /** The Customer.io userId. */
  customerId: string;
  /** user_data with every hashed key already SHA-256 hex. */
  userData?: UserData;
  /** The identify call's traits; only the three named by TraitNames are read. */
  traits?: Record<string, unknown>;
  /** The call's source timestamp, which orders this write against others. */
  at: TimeInput;
}

export interface OrderUpdate {
  customerId: string;
  /** The order's id; a redelivered order with the same id counts once. */
  orderId: string;
  userData?: UserData;
  /** The order total, in the store's currency. */
  orderValue: number;
  /** When the order was placed. */
  at: TimeInput;
}

/** The outcome of one order write. */
export interface ApplyResult {
  /** False when the order id was already recorded, so the totals did not change. */
  counted: boolean;
  profile: Profile;
}

export interface Profile {
  customerId: string;
  userData: UserData;
  /** Trait value plus the orders recorded after it, in the store's currency. */
  lifetimeValue: number;
  ordersCount: number;
  /** Epoch ms, or null when no order is known. */
  lastOrderAt: number | null;
  /** Epoch ms of the newest source event applied. */
  updatedAt: number;
  /** Epoch ms of the write that lifted lifetimeValue to the VIP threshold; null below it. */
  vipQualifiedAt: number | null;
}

export interface Delivery {
  pixelId: string;
  eventName: string;
  eventId: string;
  /** A DeliveryStatus of the conversion workflow, usually `sent`. */
  status: string;
  fbtraceId?: string;
  /** Epoch ms. */
  sentAt: number;
}

export type DeliveryKey = Pick<Delivery, 'pixelId' | 'eventName' | 'eventId'>;

export const SIGNAL_RECORD_STATUS = {
  sent: 'sent',
  /** Found after Meta's 7-day window had passed, so never sent and never retried. */
  skipped: 'skipped',
} as const;
export type SignalRecordStatus = (typeof SIGNAL_RECORD_STATUS)[keyof typeof SIGNAL_RECORD_STATUS];

export interface SignalKey {
  /** `vip_qualified` or `winback:<days>d`. */
  signal: string;
  customerId: string;
  /** `lifetime` for VIP; the last order's UTC date, YYYYMMDD, for winback. */
  period: string;
}

export interface SignalRecord extends SignalKey {
  eventId: string;
  status: SignalRecordStatus;
  /** Epoch ms. */
  sentAt: number;
}

export const STORE_ENGINES = { sqlite: 'sqlite', postgres: 'postgres' } as const;
export type StoreEngine = (typeof STORE_ENGINES)[keyof typeof STORE_ENGINES];

export interface ProfileStore {
  readonly engine: StoreEngine;
  /** The query builder, for the signal scans and the synthetic data generator. */
  readonly db: Kysely<Database>;
  /** Lifetime value at which a profile becomes VIP; undefined records no VIP times. */
  readonly vipThreshold: number | undefined;

  applyIdentify(update: IdentifyUpdate): Promise<Profile>;
  applyOrder(update: OrderUpdate): Promise<ApplyResult>;
  getProfile(customerId: string): Promise<Profile | undefined>;
  /** The stored user_data of a customer, for enriching an event that lacks identifiers. */
  getUserData(customerId: string): Promise<UserData | undefined>;

  /** Records a delivery; a second record for the same key replaces it only when newer. */
  recordDelivery(delivery: Delivery): Promise<void>;
  findDelivery(key: DeliveryKey): Promise<Delivery | undefined>;

  /** Records a signal as sent or skipped. The first record wins; returns false for a repeat. */
  markSignalSent(record: SignalRecord): Promise<boolean>;
  /** Records many signals in one statement per batch; returns how many were new. */
  markSignalsSent(records: SignalRecord[]): Promise<number>;
  isSignalSent(key: SignalKey): Promise<boolean>;

  close(): Promise<void>;
}
