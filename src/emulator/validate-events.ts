import {
  ACTION_SOURCES,
  HASHED_USER_DATA_KEYS,
  MAX_EVENTS_PER_REQUEST,
  PLAIN_USER_DATA_KEYS,
} from '../meta/types';
import {
  invalidEvent,
  invalidParameter,
  RejectionSignal,
  VALIDATION_SUBCODE,
  type GraphRejection,
} from './graph-errors';
import {
  expectArray,
  expectInteger,
  expectNonEmptyString,
  expectObject,
  expectString,
  reject,
  rejectUnknownKeys,
} from './param-checks';
import { validateCustomData } from './validate-custom-data';

const EVENT_KEYS = new Set([
  'event_name',
  'event_time',
  'event_id',
  'action_source',
  'event_source_url',
  'referrer_url',
  'opt_out',
  'user_data',
  'custom_data',
  'data_processing_options',
  'data_processing_options_country',
  'data_processing_options_state',
  'original_event_data',
  'app_data',
]);
const ORIGINAL_EVENT_DATA_KEYS = new Set(['event_name', 'event_time', 'order_id', 'event_id']);
const HASHED_KEYS = new Set<string>(HASHED_USER_DATA_KEYS);
const PLAIN_KEYS = new Set<string>(PLAIN_USER_DATA_KEYS);

/** Meta recommends hashing external_id but also accepts it unhashed, so it is not checked. */
const HASH_OPTIONAL_KEYS = new Set(['external_id']);
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** `fb.{subdomain index}.{creation time in ms}.{click id}`, case-sensitive. */
const FBC_PATTERN = /^fb\.\d+\.\d+\.\S+$/;

/** Identifier sets too weak to match on: an event whose identifiers all fit in one is rejected. */
const WEAK_IDENTIFIER_SETS = [
  new Set(['ct', 'st', 'zp', 'country', 'ge', 'client_user_agent']),
  new Set(['db', 'client_user_agent']),
  new Set(['fn', 'ge']),
  new Set(['ln', 'ge']),
];

const DAY_SECONDS = 86_400;
const MAX_AGE_DAYS = 7;
const MAX_AGE_DAYS_PHYSICAL_STORE = 62;
/**
 * NOTE: Meta does not document how far in the future event_time may be. The emulator rejects
 * more than one day ahead so that a time sent in milliseconds instead of seconds fails here.
 */
const MAX_FUTURE_SECONDS = DAY_SECONDS;

/**
 * Validates the `data` parameter of an events request as Meta does: the whole request is
 * rejected at the first invalid event. Returns the rejection, or undefined when every event is
 * valid. `nowSeconds` is the Unix time, in seconds, that event ages are measured against.
 */
export function validateEvents(data: unknown, nowSeconds: number): GraphRejection | undefined {
  try {
    if (data === undefined || data === null || data === '') {
      throw reject(invalidParameter('The parameter data is required'));
    }
    if (!Array.isArray(data)) {
      throw reject(invalidParameter(`Param "$['data']" must be an array`));
    }
    if (data.length === 0) {
      throw reject(invalidParameter(`Param "$['data']" must contain at least one event`));
    }
    if (data.length > MAX_EVENTS_PER_REQUEST) {
      throw reject(
        invalidParameter(
          `Param "$['data']" contains ${data.length} events: at most ${MAX_EVENTS_PER_REQUEST} are allowed`,
        ),
      );
    }
    data.forEach((event: unknown, index) => validateEvent(event, index, nowSeconds));
    return undefined;
  } catch (error) {
    if (error instanceof RejectionSignal) return error.rejection;
    throw error;
  }
}

function validateEvent(event: unknown, index: number, nowSeconds: number): void {
  const path = `$['data'][${index}]`;
  const record = expectObject(event, path);
  rejectUnknownKeys(record, EVENT_KEYS, path);

  for (const key of ['event_name', 'event_time', 'action_source', 'user_data']) {
    if (record[key] === undefined || record[key] === null) {
      throw reject(invalidParameter(`Missing required key "${key}" on param "${path}"`));
    }
  }
  expectNonEmptyString(record.event_name, `${path}['event_name']`);
  const eventTime = expectInteger(record.event_time, `${path}['event_time']`);
  if (record.event_id !== undefined) expectNonEmptyString(record.event_id, `${path}['event_id']`);
  const actionSource = expectNonEmptyString(record.action_source, `${path}['action_source']`);
  if (!(ACTION_SOURCES as readonly string[]).includes(actionSource)) {
    throw reject(
      invalidParameter(
        `Invalid value "${actionSource}" for param "${path}['action_source']": expected one of ${ACTION_SOURCES.join(', ')}`,
      ),
    );
  }
  validateOptionalFields(record, path);

  const userData = expectObject(record.user_data, `${path}['user_data']`);
  validateUserDataShape(userData, `${path}['user_data']`);
  if (record.custom_data !== undefined) {
    validateCustomData(expectObject(record.custom_data, `${path}['custom_data']`), path);
  }
  if (actionSource === 'website') {
    if (record.event_source_url === undefined) {
      throw reject(
        invalidParameter(
          `Missing required key "event_source_url" on param "${path}" for a website event`,
        ),
      );
    }
    if (userData.client_user_agent === undefined) {
      throw reject(
        invalidParameter(
          `Missing required key "client_user_agent" on param "${path}['user_data']" for a website event`,
        ),
      );
    }
  }

  validateEventTime(eventTime, actionSource, index, nowSeconds);
  validateHashes(userData, index);
  validateFbc(userData, index);
  if (record.event_name === 'Purchase') validatePurchase(record.custom_data, index);
  validateIdentifierStrength(userData, index);
}

function validateOptionalFields(record: Record<string, unknown>, path: string): void {
  for (const key of ['event_source_url', 'referrer_url']) {
    if (record[key] !== undefined) expectNonEmptyString(record[key], `${path}['${key}']`);
  }
  if (record.opt_out !== undefined && typeof record.opt_out !== 'boolean') {
    throw reject(invalidParameter(`Param "${path}['opt_out']" must be a boolean`));
  }
  if (record.data_processing_options !== undefined) {
    const optionsPath = `${path}['data_processing_options']`;
    const options = expectArray(record.data_processing_options, optionsPath);
    options.forEach((option, position) => {
      if (option !== 'LDU') {
        throw reject(
          invalidParameter(`Invalid value for param "${optionsPath}[${position}]": expected "LDU"`),
        );
      }
    });
  }
  for (const key of ['data_processing_options_country', 'data_processing_options_state']) {
    if (record[key] !== undefined) expectInteger(record[key], `${path}['${key}']`);
  }
  if (record.original_event_data !== undefined) {
    const originalPath = `${path}['original_event_data']`;
    const original = expectObject(record.original_event_data, originalPath);
    rejectUnknownKeys(original, ORIGINAL_EVENT_DATA_KEYS, originalPath);
  }
  if (record.app_data !== undefined) expectObject(record.app_data, `${path}['app_data']`);
}

function validateUserDataShape(userData: Record<string, unknown>, path: string): void {
  for (const [key, value] of Object.entries(userData)) {
    if (HASHED_KEYS.has(key)) {
      if (Array.isArray(value)) {
        value.forEach((item, position) => expectString(item, `${path}['${key}'][${position}]`));
      } else {
        expectString(value, `${path}['${key}']`);
      }
    } else if (PLAIN_KEYS.has(key)) {
      expectString(value, `${path}['${key}']`);
    } else {
      throw reject(invalidParameter(`Unexpected key "${key}" on param "${path}"`));
    }
  }
}

function validateEventTime(
  eventTime: number,
  actionSource: string,
  index: number,
  nowSeconds: number,
): void {
  const maxAgeDays = actionSource === 'physical_store' ? MAX_AGE_DAYS_PHYSICAL_STORE : MAX_AGE_DAYS;
  if (nowSeconds - eventTime > maxAgeDays * DAY_SECONDS) {
    throw reject(
      invalidEvent(
        VALIDATION_SUBCODE.eventTooOld,
        'Event Timestamp Too Old',
        `The event_time of event ${index} is more than ${maxAgeDays} days in the past.`,
      ),
    );
  }
  if (eventTime - nowSeconds > MAX_FUTURE_SECONDS) {
    throw reject(
      invalidParameter(
        `Param "$['data'][${index}]['event_time']" is in the future: expected Unix time in seconds`,
      ),
    );
  }
}

function validateHashes(userData: Record<string, unknown>, index: number): void {
  for (const [key, value] of Object.entries(userData)) {
    if (!HASHED_KEYS.has(key) || HASH_OPTIONAL_KEYS.has(key)) continue;
    const values = Array.isArray(value) ? (value as string[]) : [value as string];
    if (values.every((item) => SHA256_HEX.test(item))) continue;

    // The value itself is left out of the message: it may be a raw email or phone number.
    throw reject(
      invalidEvent(
        VALIDATION_SUBCODE.unhashedUserData,
        'User Data Not Hashed',
        `user_data.${key} of event ${index} is not a SHA-256 digest of 64 lowercase hex characters.`,
      ),
    );
  }
}

function validateFbc(userData: Record<string, unknown>, index: number): void {
  const fbc = userData.fbc;
  if (typeof fbc !== 'string' || FBC_PATTERN.test(fbc)) return;
  throw reject(
    invalidEvent(
      VALIDATION_SUBCODE.malformedFbc,
      'Malformed fbc',
      `user_data.fbc of event ${index} does not have the form fb.{subdomain}.{creation_ms}.{value}.`,
    ),
  );
}

function validatePurchase(customData: unknown, index: number): void {
  const data = (customData ?? {}) as Record<string, unknown>;
  if (data.value === undefined || data.value === null) {
    throw reject(
      invalidEvent(
        VALIDATION_SUBCODE.purchaseWithoutValue,
        'Missing Value for Purchase Event',
        `Purchase event ${index} has no custom_data.value.`,
      ),
    );
  }
  if (data.currency === undefined || data.currency === null) {
    throw reject(
      invalidEvent(
        VALIDATION_SUBCODE.purchaseWithoutCurrency,
        'Missing Currency for Purchase Event',
        `Purchase event ${index} has no custom_data.currency.`,
      ),
    );
  }
}

function validateIdentifierStrength(userData: Record<string, unknown>, index: number): void {
  const present = Object.entries(userData)
    .filter(([, value]) => (Array.isArray(value) ? value.length > 0 : value !== ''))
    .map(([key]) => key);
  const weak =
    present.length === 0 ||
    WEAK_IDENTIFIER_SETS.some((set) => present.every((key) => set.has(key)));
  if (!weak) return;
  throw reject(
    invalidEvent(
      VALIDATION_SUBCODE.weakIdentifiers,
      'Insufficient Customer Information',
      `Event ${index} has too few customer information parameters to match: ${present.join(', ') || 'none'}.`,
    ),
  );
}
