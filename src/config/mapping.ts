import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ISO_4217_CODES } from '../mapping/currency';
import { eventNameKey } from '../mapping/event-name';
import { ACTION_SOURCES, type ActionSource } from '../meta/types';

/** Properties a rule may read custom_data.value from. */
export const VALUE_SOURCES = ['revenue', 'total', 'value', 'price'] as const;
export type ValueSource = (typeof VALUE_SOURCES)[number];

/**
 * The order in which value properties are tried when the rule's own `value` property is absent.
 * Each fallback adds a `value_fallback` warning.
 */
export const VALUE_FALLBACK_ORDER: readonly ValueSource[] = ['revenue', 'total', 'value', 'price'];

/** Meta's standard event names. Any other spelling, such as `purchase`, is a custom event to Meta. */
export const META_STANDARD_EVENTS = [
  'AddPaymentInfo',
  'AddToCart',
  'AddToWishlist',
  'CompleteRegistration',
  'Contact',
  'CustomizeProduct',
  'Donate',
  'FindLocation',
  'InitiateCheckout',
  'Lead',
  'PageView',
  'Purchase',
  'Schedule',
  'Search',
  'StartTrial',
  'SubmitApplication',
  'Subscribe',
  'ViewContent',
] as const;

const EVENT_ID_PATTERN = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;

const ruleFileSchema = z.strictObject({
  metaEvent: z
    .string()
    .regex(/\S/, 'metaEvent must not be blank')
    .max(100)
    .optional()
    .describe('Meta event name, such as Purchase. Required for events without a built-in rule.'),
  enabled: z.boolean().optional().describe('Whether matching calls are sent. @default true'),
  eventId: z
    .string()
    .regex(EVENT_ID_PATTERN, 'expected messageId, order_id or a dotted property path')
    .optional()
    .describe(
      'Where event_id comes from: messageId, order_id (properties.order_id), a bare property name ' +
        '(read from properties) or a dotted path from the call root. Falls back to messageId with ' +
        'a warning when absent. @default order_id for Purchase, messageId otherwise',
    ),
  value: z
    .enum(VALUE_SOURCES)
    .optional()
    .describe(
      'Property read first for custom_data.value; then revenue, total, value, price. ' +
        '@default revenue for Purchase, value otherwise',
    ),
  actionSource: z
    .enum(ACTION_SOURCES)
    .optional()
    .describe(
      'Meta action_source. website events need a page URL and a user agent. @default website',
    ),
  currencyRequired: z
    .boolean()
    .optional()
    .describe('Reject the event when it has no valid currency. @default true for Purchase'),
});
type RuleFile = z.infer<typeof ruleFileSchema>;

/** The mapping file as written. Every key is optional, and loadMappingConfig fills in the defaults. */
export const mappingFileSchema = z.strictObject({
  $schema: z.string().optional(),
  defaultCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected an uppercase ISO 4217 code such as USD')
    .optional()
    .describe('ISO 4217 currency used when a call has none. @default none'),
  maxClockSkewSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .optional()
    .describe('How far in the future event_time may be, in seconds. @default 300'),
  customDataAllowlist: z
    .array(z.string().min(1))
    .optional()
    .describe('Custom property names copied into custom_data. Never personal data. @default []'),
  limitedDataUse: z
    .strictObject({
      country: z.number().int().min(0).describe('0 lets Meta geolocate; 1 is the USA.'),
      state: z.number().int().min(0).describe('0 lets Meta geolocate; 1000 is California.'),
    })
    .optional()
    .describe('Send every event with Limited Data Use and these codes. @default off'),
  events: z
    .record(z.string().min(1), ruleFileSchema)
    .optional()
    .describe('Rules by source event name, merged over the built-in rules of the same name.'),
});
export type MappingFile = z.infer<typeof mappingFileSchema>;

/** One resolved rule: which Meta event a source event becomes, and how. */
export interface MappingRule {
  /** The source event name as the mapping spells it, or `page` / `screen` for those call types. */
  sourceEvent: string;
  /** Meta event_name, case-sensitive. */
  metaEvent: string;
  enabled: boolean;
  /** `messageId`, or a property path whose value becomes event_id. */
  eventId: string;
  /** Property read first for custom_data.value. */
  value: ValueSource;
  actionSource: ActionSource;
  /** Reject the event when it has no valid currency. */
  currencyRequired: boolean;
}

/** The mapping after defaults, ready for resolveEvent and mapCall. Plain JSON, safe to pass to activities. */
export interface MappingConfig {
  /** ISO 4217 currency used when a call has none. */
  defaultCurrency?: string;
  /** How far in the future event_time may be, in seconds. @default 300 */
  maxClockSkewSeconds: number;
  /** Custom property names copied into custom_data. @default [] */
  customDataAllowlist: string[];
  /** Limited Data Use for every event, with Meta's country and state codes. */
  limitedDataUse?: { country: number; state: number };
  /** Rules by lookup key (see eventNameKey). */
  rules: Record<string, MappingRule>;
}

/**
 * The built-in rules, from the e-commerce mapping every Meta forwarder uses. Purchase,
 * InitiateCheckout, AddToCart, ViewContent and Search are on. AddPaymentInfo, AddToWishlist and
 * PageView are off: the browser Pixel usually sends PageView already, and the other two rarely feed
 * optimization. Each is switched on with `{ "enabled": true }`.
 */
export const DEFAULT_RULES: Readonly<Record<string, RuleFile & { metaEvent: string }>> = {
  'Order Completed': { metaEvent: 'Purchase', enabled: true },
  'Checkout Started': { metaEvent: 'InitiateCheckout', enabled: true },
  'Product Added': { metaEvent: 'AddToCart', enabled: true, value: 'price' },
  'Product Viewed': { metaEvent: 'ViewContent', enabled: true, value: 'price' },
  'Products Searched': { metaEvent: 'Search', enabled: true },
  'Payment Info Entered': { metaEvent: 'AddPaymentInfo', enabled: false },
  'Product Added to Wishlist': { metaEvent: 'AddToWishlist', enabled: false, value: 'price' },
  page: { metaEvent: 'PageView', enabled: false },
};

export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 300;

/** One problem of a mapping file, with the JSON path of the value at fault. */
export interface MappingProblem {
  /** Such as `$.events["Order Completed"].value`. */
  path: string;
  message: string;
}

export class MappingConfigError extends Error {
  readonly code = 'INVALID_MAPPING';
  constructor(
    readonly source: string,
    readonly problems: MappingProblem[],
  ) {
    const lines = problems.map((problem) => `${problem.path}: ${problem.message}`);
    super(`Invalid mapping ${source}:\n  ${lines.join('\n  ')}`);
    this.name = 'MappingConfigError';
  }
}

/**
 * Reads and validates a mapping file. Without a path it returns the built-in defaults.
 * @throws MappingConfigError listing every problem with its JSON path.
 */
export function loadMappingConfig(path?: string): MappingConfig {
  if (path === undefined) return parseMappingConfig({});

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MappingConfigError(path, [
      { path: '$', message: `cannot read the file as JSON: ${(error as Error).message}` },
    ]);
  }
  return parseMappingConfig(raw, path);
}

/**
 * Validates a parsed mapping file and merges it over the defaults.
 * @throws MappingConfigError listing every problem with its JSON path.
 */
export function parseMappingConfig(raw: unknown, source = 'mapping'): MappingConfig {
  const parsed = mappingFileSchema.safeParse(raw);
  // The rule checks run on the raw input too, so one pass lists every problem of the file.
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap(toProblems)),
    ...checkRawFile(raw),
  ];
  if (!parsed.success || problems.length > 0) throw new MappingConfigError(source, problems);

  const file = parsed.data;
  const rules: Record<string, MappingRule> = {};
  for (const [name, rule] of Object.entries(DEFAULT_RULES)) {
    rules[eventNameKey(name)] = resolveRule(name, rule);
  }
  for (const [name, rule] of Object.entries(file.events ?? {})) {
    const builtIn = findDefaultRule(name);
    // A partial rule refines the built-in rule of the same name, and its own keys win. Defaults
    // that depend on metaEvent (eventId, value, currencyRequired) follow the merged metaEvent.
    const merged = { ...(builtIn?.[1] ?? {}), ...definedKeys(rule) } as RuleFile & {
      metaEvent: string;
    };
    rules[eventNameKey(name)] = resolveRule(builtIn?.[0] ?? name, merged);
  }

  return {
    ...(file.defaultCurrency ? { defaultCurrency: file.defaultCurrency } : {}),
    maxClockSkewSeconds: file.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS,
    customDataAllowlist: file.customDataAllowlist ?? [],
    ...(file.limitedDataUse ? { limitedDataUse: file.limitedDataUse } : {}),
    rules,
  };
}

/** Generates the JSON Schema of the mapping file, for editors. */
export function mappingJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(mappingFileSchema, { io: 'input' });
}

/** Writes a zod path as a JSON path: `$.events["Order Completed"].value`. */
export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '$';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment))
      text += `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

function toProblems(issue: z.core.$ZodIssue): MappingProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatJsonPath([...issue.path, key]),
      message: `unknown key "${key}"`,
    }));
  }
  return [{ path: formatJsonPath(issue.path), message: issue.message }];
}

/** Checks that the schema cannot express: personal allowlist names, currency codes, rule names. */
function checkRawFile(raw: unknown): MappingProblem[] {
  if (!isRecord(raw)) return [];
  const problems: MappingProblem[] = [];
  const add = (path: PropertyKey[], message: string) =>
    problems.push({ path: formatJsonPath(path), message });

  const allowlist = Array.isArray(raw.customDataAllowlist) ? raw.customDataAllowlist : [];
  for (const [index, name] of allowlist.entries()) {
    if (typeof name === 'string' && isPersonalPropertyName(name)) {
      add(
        ['customDataAllowlist', index],
        `"${name}" looks like personal data, which must never go into custom_data`,
      );
    }
  }
  const currency = raw.defaultCurrency;
  if (
    typeof currency === 'string' &&
    /^[A-Z]{3}$/.test(currency) &&
    !ISO_4217_CODES.has(currency)
  ) {
    add(['defaultCurrency'], `"${currency}" is not an ISO 4217 currency code`);
  }
  if (isRecord(raw.events)) checkRules(raw.events, add);
  return problems;
}

function checkRules(
  events: Record<string, unknown>,
  add: (path: PropertyKey[], message: string) => void,
): void {
  const seen = new Map<string, string>();
  for (const [name, rule] of Object.entries(events)) {
    const key = eventNameKey(name);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      add(
        ['events', name],
        `"${name}" and "${earlier}" name the same event (case, spaces, "_" and "-" are ignored)`,
      );
    }
    seen.set(key, name);
    if (!isRecord(rule)) continue;

    const metaEvent = rule.metaEvent;
    if (metaEvent === undefined && findDefaultRule(name) === undefined) {
      add(
        ['events', name, 'metaEvent'],
        `metaEvent is missing: "${name}" has no built-in rule, so it needs a Meta event name`,
      );
    }
    if (typeof metaEvent !== 'string') continue;
    const standard = META_STANDARD_EVENTS.find(
      (event) => event.toLowerCase() === metaEvent.toLowerCase(),
    );
    if (standard !== undefined && standard !== metaEvent) {
      add(
        ['events', name, 'metaEvent'],
        `"${metaEvent}" would be a custom event: Meta's standard name is "${standard}" (case-sensitive)`,
      );
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function resolveRule(sourceEvent: string, rule: RuleFile & { metaEvent: string }): MappingRule {
  const isPurchase = rule.metaEvent === 'Purchase';
  return {
    sourceEvent,
    metaEvent: rule.metaEvent,
    enabled: rule.enabled ?? true,
    eventId: rule.eventId ?? (isPurchase ? 'order_id' : 'messageId'),
    value: rule.value ?? (isPurchase ? 'revenue' : 'value'),
    actionSource: rule.actionSource ?? 'website',
    currencyRequired: rule.currencyRequired ?? isPurchase,
  };
}

function findDefaultRule(name: string): [string, RuleFile & { metaEvent: string }] | undefined {
  const key = eventNameKey(name);
  return Object.entries(DEFAULT_RULES).find(([builtInName]) => eventNameKey(builtInName) === key);
}

function definedKeys(rule: RuleFile): RuleFile {
  return Object.fromEntries(Object.entries(rule).filter(([, value]) => value !== undefined));
}

const PERSON_NAME_KEYS = new Set([
  'name',
  'firstname',
  'lastname',
  'fullname',
  'middlename',
  'surname',
  'givenname',
  'familyname',
  'username',
  'customername',
]);

/**
 * Checks whether a property name denotes personal data: an email, phone, name, address part,
 * birth date, gender, or one of the identifiers cio-capi reads into user_data.
 */
export function isPersonalPropertyName(name: string): boolean {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (PERSON_NAME_KEYS.has(key)) return true;
  return (
    /e?mail|phone|mobile|telephone|^tel$|address|street|birth|^dob$|^ip$|^ssn$/.test(key) ||
    /zip|postal|postcode|city|^state$|^region$|country|gender|^sex$|externalid|userid|customerid/.test(
      key,
    ) ||
    /anonymousid|^fbc$|^fbp$|fbclid|ipaddress|useragent/.test(key)
  );
}
