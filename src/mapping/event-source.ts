import type { MappingRule } from '../config/mapping';
import type { PipelinesCall } from '../customerio/call';
import type { UserData } from '../meta/types';
import { REJECT_CODES, type Step } from './types';

/** The browser fields of a server event. */
export interface EventSource {
  event_source_url?: string;
  referrer_url?: string;
}

/**
 * Reads event_source_url (`context.page.url`, then `properties.url`) and referrer_url. Meta
 * requires a URL and client_user_agent on `website` events, so a website rule rejects a call that
 * lacks either. A rule with another actionSource sends the URL only when the call has one.
 */
export function resolveEventSource(
  call: PipelinesCall,
  rule: MappingRule,
  userData: UserData,
): Step<EventSource> {
  const url = firstUrl(call.context?.page?.url, call.properties?.url);
  const referrer = firstUrl(call.context?.page?.referrer, call.properties?.referrer);

  if (rule.actionSource === 'website') {
    if (url === undefined) {
      return reject(
        REJECT_CODES.websiteEventMissingUrl,
        'context.page.url',
        `a website event needs event_source_url, but context.page.url and properties.url hold no http(s) URL; set the rule's actionSource to another source if the event does not happen on a page`,
      );
    }
    if (!userData.client_user_agent) {
      return reject(
        REJECT_CODES.websiteEventMissingUserAgent,
        'context.userAgent',
        `a website event needs client_user_agent, but context.userAgent is missing; set the rule's actionSource to another source if the event does not come from a browser`,
      );
    }
  }

  return {
    ok: true,
    value: {
      ...(url !== undefined ? { event_source_url: url } : {}),
      ...(referrer !== undefined ? { referrer_url: referrer } : {}),
    },
  };
}

function firstUrl(...candidates: unknown[]): string | undefined {
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const text = candidate.trim();
    if (URL.canParse(text) && /^https?:$/.test(new URL(text).protocol)) return text;
  }
  return undefined;
}

function reject(code: string, field: string, message: string): Step<EventSource> {
  return { ok: false, reason: { code, field, message } };
}
