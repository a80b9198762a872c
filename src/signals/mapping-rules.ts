import type { MappingConfig, MappingRule } from '../config/mapping';
import { eventNameKey } from '../mapping/event-name';
import type { SignalsConfig } from './config';
import { listSignals } from './definitions';

/** The winback custom_data properties, copied to Meta once the signals are on. */
export const SIGNAL_CUSTOM_PROPERTIES = ['winback_days', 'orders_count'] as const;

/**
 * Adds a mapping rule for each enabled signal's event name, so the scans' conversions map to a
 * custom event with `action_source` `system_generated`: they come from cio-capi, not from a page.
 * A rule the mapping file already has for that name is kept as written, so an operator can still
 * change it. The winback properties join the custom_data allowlist; they carry no personal data.
 */
export function withSignalRules(mapping: MappingConfig, signals: SignalsConfig): MappingConfig {
  const rules: Record<string, MappingRule> = { ...mapping.rules };
  for (const signal of listSignals(signals)) {
    const key = eventNameKey(signal.eventName);
    rules[key] ??= {
      sourceEvent: signal.eventName,
      metaEvent: signal.eventName,
      enabled: true,
      eventId: 'messageId',
      value: 'value',
      actionSource: 'system_generated',
      currencyRequired: false,
    };
  }

  const allowlist = signals.winback.enabled
    ? [...new Set([...mapping.customDataAllowlist, ...SIGNAL_CUSTOM_PROPERTIES])]
    : mapping.customDataAllowlist;
  return { ...mapping, customDataAllowlist: allowlist, rules };
}
