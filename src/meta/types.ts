/**
 * The Meta Conversions API payload types. Field names are Meta's wire names, snake_case exactly as
 * Meta spells them; everything of ours is camelCase.
 * See https://developers.facebook.com/docs/marketing-api/conversions-api/parameters
 */

/** The Graph API version used when none is configured. Each version lives at least two years. */
export const DEFAULT_GRAPH_API_VERSION = 'v24.0';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';

/** The maximum number of events Meta takes in one request. */
export const MAX_EVENTS_PER_REQUEST = 1000;

export const ACTION_SOURCES = [
  'website',
  'email',
  'app',
  'phone_call',
  'chat',
  'physical_store',
  'system_generated',
  'business_messaging',
  'other',
] as const;
export type ActionSource = (typeof ACTION_SOURCES)[number];

/** user_data keys whose values are normalized and sent as SHA-256 hex digests. */
export const HASHED_USER_DATA_KEYS = [
  'em',
  'ph',
  'fn',
  'ln',
  'ge',
  'db',
  'ct',
  'st',
  'zp',
  'country',
  'external_id',
] as const;
export type HashedUserDataKey = (typeof HASHED_USER_DATA_KEYS)[number];

/** user_data keys sent as given, never hashed. */
export const PLAIN_USER_DATA_KEYS = [
  'client_ip_address',
  'client_user_agent',
  'fbc',
  'fbp',
  'subscription_id',
  'lead_id',
  'fb_login_id',
  'anon_id',
  'madid',
  'ctwa_clid',
  'page_id',
] as const;
export type PlainUserDataKey = (typeof PLAIN_USER_DATA_KEYS)[number];

export type UserDataKey = HashedUserDataKey | PlainUserDataKey;

/** Hashed keys carry one digest or several; plain keys carry one string. */
export type UserData = Partial<Record<HashedUserDataKey, string | string[]>> &
  Partial<Record<PlainUserDataKey, string>>;

export interface ContentItem {
  id: string;
  quantity?: number;
  item_price?: number;
  delivery_category?: 'in_store' | 'curbside' | 'home_delivery';
}

export interface CustomData {
  value?: number;
  currency?: string;
  content_ids?: string[];
  contents?: ContentItem[];
  content_type?: 'product' | 'product_group';
  content_name?: string;
  content_category?: string;
  order_id?: string;
  num_items?: number;
  search_string?: string;
  predicted_ltv?: number;
  net_revenue?: number;
  status?: string;
  delivery_category?: 'in_store' | 'curbside' | 'home_delivery';
  /** Custom properties from the mapping's allowlist. */
  [property: string]: unknown;
}

export interface ServerEvent {
  event_name: string;
  /** Unix time in seconds. */
  event_time: number;
  event_id: string;
  action_source: ActionSource;
  event_source_url?: string;
  referrer_url?: string;
  opt_out?: boolean;
  user_data: UserData;
  custom_data?: CustomData;
  data_processing_options?: string[];
  data_processing_options_country?: number;
  data_processing_options_state?: number;
}

export interface EventsRequestBody {
  data: ServerEvent[];
  access_token?: string;
  test_event_code?: string;
  partner_agent?: string;
  appsecret_proof?: string;
}

export interface EventsSuccessBody {
  events_received: number;
  messages: string[];
  fbtrace_id: string;
}

export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    is_transient?: boolean;
    error_user_title?: string;
    error_user_msg?: string;
    error_data?: unknown;
    fbtrace_id: string;
  };
}
