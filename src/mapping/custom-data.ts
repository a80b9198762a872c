import { VALUE_FALLBACK_ORDER, type MappingConfig, type MappingRule } from '../config/mapping';
import type { CustomData } from '../meta/types';
import { isAbsent, parseAmount } from './amount';
import { buildContents } from './contents';
import { normalizeCurrency } from './currency';
import { REJECT_CODES, WARNING_CODES, type MappingWarning, type Step } from './types';

type Properties = Record<string, unknown>;

/** A rough email shape, to keep addresses out of allowlisted custom properties. */
const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;

/**
 * A rough phone shape: 7 to 15 digits written with a leading + or with separators, such as
 * `+1 615 509 3305` or `(650) 555-1212`. Bare digit strings pass, because order numbers look alike.
 */
const PHONE_LIKE = /^(?=(?:\D*\d){7,15}\D*$)(?:\+[\d\s().-]+|[\d(][\d().-]*[\s().-][\d\s().-]+)$/;

/**
 * Builds custom_data from a call's properties: value and currency, contents, order_id,
 * search_string, predicted_ltv and the allowlisted custom properties. Nothing else is copied, so
 * personal data in properties never reaches custom_data.
 */
export function buildCustomData(
  properties: Properties,
  rule: MappingRule,
  mapping: MappingConfig,
): Step<{ customData: CustomData; warnings: MappingWarning[] }> {
  const warnings: MappingWarning[] = [];
  const customData: CustomData = {};

  const money = readMoney(properties, rule, mapping, warnings);
  if (!money.ok) return money;
  Object.assign(customData, money.value);

  const contents = buildContents(properties);
  warnings.push(...contents.warnings);
  if (contents.items.length > 0) {
    customData.content_ids = contents.items.map((item) => item.id);
    customData.contents = contents.items;
    customData.content_type = 'product';
    if (rule.metaEvent === 'InitiateCheckout') customData.num_items = contents.numItems;
  }
  if (!Array.isArray(properties.products)) {
    setText(customData, 'content_name', properties.name, contents.items.length > 0);
    setText(customData, 'content_category', properties.category, contents.items.length > 0);
  }

  setText(customData, 'order_id', properties.order_id, true);
  setText(customData, 'search_string', properties.query, rule.metaEvent === 'Search');

  if (!isAbsent(properties.predicted_ltv)) {
    const ltv = parseAmount(properties.predicted_ltv, 'properties.predicted_ltv');
    if (ltv.ok) customData.predicted_ltv = ltv.value;
    else warnings.push({ ...ltv.reason, code: WARNING_CODES.invalidPredictedLtv });
  }

  copyAllowlisted(properties, mapping.customDataAllowlist, customData, warnings);
  return { ok: true, value: { customData, warnings } };
}

/**
 * Reads value and currency. The rule's value property is tried first, then VALUE_FALLBACK_ORDER.
 * A value without any currency is left out, because Meta cannot read an amount without one.
 */
function readMoney(
  properties: Properties,
  rule: MappingRule,
  mapping: MappingConfig,
  warnings: MappingWarning[],
): Step<Pick<CustomData, 'value' | 'currency'>> {
  const firstField = `properties.${rule.value}`;
  const source = [rule.value, ...VALUE_FALLBACK_ORDER].find((key) => !isAbsent(properties[key]));

  let value: number | undefined;
  if (source !== undefined) {
    const field = `properties.${source}`;
    const parsed = parseAmount(properties[source], field);
    if (!parsed.ok) return parsed;
    value = parsed.value;
    if (source !== rule.value) {
      warnings.push({
        code: WARNING_CODES.valueFallback,
        field,
        message: `${firstField} is missing, so value is ${field} (${value})`,
      });
    }
  } else if (rule.metaEvent === 'Purchase') {
    return reject(
      REJECT_CODES.missingValue,
      firstField,
      `a Purchase needs a value: ${firstField} and its fallbacks (${VALUE_FALLBACK_ORDER.join(', ')}) are missing`,
    );
  }

  const currency = readCurrency(properties.currency, rule, mapping, warnings);
  if (!currency.ok) return currency;
  if (currency.value === undefined && rule.currencyRequired) {
    return reject(
      REJECT_CODES.missingCurrency,
      'properties.currency',
      `a ${rule.metaEvent} needs a currency: properties.currency is missing and the mapping sets no defaultCurrency`,
    );
  }

  if (value === undefined) return { ok: true, value: {} };
  if (currency.value === undefined) {
    warnings.push({
      code: WARNING_CODES.valueWithoutCurrency,
      field: 'properties.currency',
      message: `value ${value} has no currency (properties.currency is missing and no defaultCurrency is set): value left out`,
    });
    return { ok: true, value: {} };
  }
  return { ok: true, value: { value, currency: currency.value } };
}

function readCurrency(
  raw: unknown,
  rule: MappingRule,
  mapping: MappingConfig,
  warnings: MappingWarning[],
): Step<string | undefined> {
  if (isAbsent(raw)) return { ok: true, value: mapping.defaultCurrency };

  const code = typeof raw === 'string' ? normalizeCurrency(raw) : undefined;
  if (code !== undefined) return { ok: true, value: code };

  const message = `properties.currency ${JSON.stringify(raw)} is not an ISO 4217 currency code such as USD`;
  if (rule.currencyRequired)
    return reject(REJECT_CODES.invalidCurrency, 'properties.currency', message);
  warnings.push({ code: WARNING_CODES.invalidCurrency, field: 'properties.currency', message });
  return { ok: true, value: undefined };
}

function copyAllowlisted(
  properties: Properties,
  allowlist: string[],
  customData: CustomData,
  warnings: MappingWarning[],
): void {
  for (const name of allowlist) {
    const raw = properties[name];
    // Standard keys built above win over a custom property of the same name.
    if (isAbsent(raw) || name in customData) continue;

    const field = `properties.${name}`;
    if (!isPlainValue(raw)) {
      warnings.push(dropped(field, 'is not a string, number, boolean or a list of them'));
    } else if (containsPersonalValue(raw)) {
      warnings.push(
        dropped(
          field,
          'looks like an email address or phone number, and personal data never goes into custom_data',
        ),
      );
    } else {
      customData[name] = raw;
    }
  }
}

type PlainValue = string | number | boolean | Array<string | number | boolean>;

function isPlainValue(raw: unknown): raw is PlainValue {
  const isScalar = (item: unknown) =>
    typeof item === 'string' ||
    typeof item === 'boolean' ||
    (typeof item === 'number' && Number.isFinite(item));
  return isScalar(raw) || (Array.isArray(raw) && raw.every(isScalar));
}

function containsPersonalValue(raw: PlainValue): boolean {
  const items = Array.isArray(raw) ? raw : [raw];
  return items.some(
    (item) => typeof item === 'string' && (EMAIL_LIKE.test(item) || PHONE_LIKE.test(item.trim())),
  );
}

function dropped(field: string, why: string): MappingWarning {
  return {
    code: WARNING_CODES.allowlistedValueDropped,
    field,
    message: `${field} ${why}: left out of custom_data`,
  };
}

function setText(
  customData: CustomData,
  key: 'content_name' | 'content_category' | 'order_id' | 'search_string',
  raw: unknown,
  when: boolean,
): void {
  if (!when) return;
  if (typeof raw === 'string' && raw.trim() !== '') customData[key] = raw.trim();
  else if (typeof raw === 'number' && Number.isFinite(raw)) customData[key] = String(raw);
}

function reject<T>(code: string, field: string, message: string): Step<T> {
  return { ok: false, reason: { code, field, message } };
}
