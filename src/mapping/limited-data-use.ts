import type { MappingConfig } from '../config/mapping';
import type { PipelinesCall } from '../customerio/call';
import { isAbsent } from './amount';
import { REJECT_CODES, type Step } from './types';

/** The data processing fields of a server event. */
export interface DataProcessing {
  data_processing_options: string[];
  data_processing_options_country: number;
  data_processing_options_state: number;
}

const CODE = /^\d+$/;

/**
 * Reads Limited Data Use from the call (`context.dataProcessingOptions`, then
 * `properties.data_processing_options`), else from the mapping's `limitedDataUse`. The call wins
 * because it carries the person's own codes. Each place takes three shapes:
 * `["LDU"]` (codes from `properties.data_processing_options_country` / `_state`),
 * `[["LDU"], country, state]` as the browser Pixel takes it, or
 * `{ "options": ["LDU"], "country": 0, "state": 0 }`. A missing code is 0, which lets Meta geolocate.
 * Returns undefined when neither requests LDU.
 */
export function resolveDataProcessing(
  call: PipelinesCall,
  mapping: MappingConfig,
): Step<DataProcessing | undefined> {
  const properties = call.properties ?? {};
  const places: Array<[string, unknown]> = [
    ['context.dataProcessingOptions', call.context?.dataProcessingOptions],
    ['properties.data_processing_options', properties.data_processing_options],
  ];

  for (const [field, raw] of places) {
    if (isAbsent(raw)) continue;
    const parsed = parseOptions(raw, field, properties);
    if (!parsed.ok || parsed.value !== undefined) return parsed;
  }

  if (mapping.limitedDataUse) {
    return {
      ok: true,
      value: ldu(mapping.limitedDataUse.country, mapping.limitedDataUse.state),
    };
  }
  return { ok: true, value: undefined };
}

function parseOptions(
  raw: unknown,
  field: string,
  properties: Record<string, unknown>,
): Step<DataProcessing | undefined> {
  let options: unknown;
  let country: unknown;
  let state: unknown;
  let codeField = field;

  if (Array.isArray(raw) && Array.isArray(raw[0])) {
    [options, country, state] = raw as unknown[];
  } else if (Array.isArray(raw)) {
    options = raw;
    country = properties.data_processing_options_country;
    state = properties.data_processing_options_state;
    codeField = 'properties.data_processing_options_country';
  } else if (raw !== null && typeof raw === 'object') {
    ({ options = ['LDU'], country, state } = raw as Record<string, unknown>);
  } else {
    return invalid(field, raw, 'expected ["LDU"], [["LDU"], country, state] or an object');
  }

  if (!Array.isArray(options) || !options.every((option) => typeof option === 'string')) {
    return invalid(field, raw, 'the options must be a list of strings such as ["LDU"]');
  }
  const names = options.map((option: string) => option.trim().toUpperCase());
  const unknown = names.find((name) => name !== 'LDU');
  if (unknown !== undefined) {
    return invalid(field, raw, `"${unknown}" is not an option Meta knows; the only one is "LDU"`);
  }
  if (names.length === 0) return { ok: true, value: undefined };

  const countryCode = readCode(country);
  const stateCode = readCode(state);
  if (countryCode === undefined || stateCode === undefined) {
    return invalid(
      codeField,
      { country, state },
      'country and state must be whole numbers of 0 or more',
    );
  }
  return { ok: true, value: ldu(countryCode, stateCode) };
}

function readCode(raw: unknown): number | undefined {
  if (isAbsent(raw)) return 0;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return raw;
  if (typeof raw === 'string' && CODE.test(raw.trim())) return Number(raw.trim());
  return undefined;
}

function ldu(country: number, state: number): DataProcessing {
  return {
    data_processing_options: ['LDU'],
    data_processing_options_country: country,
    data_processing_options_state: state,
  };
}

function invalid(field: string, raw: unknown, why: string): Step<DataProcessing | undefined> {
  return {
    ok: false,
    reason: {
      code: REJECT_CODES.invalidDataProcessingOptions,
      field,
      message: `${field} ${JSON.stringify(raw)} is invalid: ${why}`,
    },
  };
}
