import { parseMappingConfig, type MappingConfig } from '../../src/config/mapping';
import { pipelinesCallSchema, type PipelinesCall } from '../../src/customerio/call';
import type { UserDataResult } from '../../src/identity/types';
import { mapCall } from '../../src/mapping/map-call';
import type { MapOutcome } from '../../src/mapping/types';
import type { ServerEvent } from '../../src/meta/types';

/** The clock of every mapping test: the end of the fixture day. */
export const NOW = new Date('2026-12-01T12:00:00Z');
export const NOW_SECONDS = 1796126400;

export const USER_AGENT = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15';
export const PAGE_URL = 'https://shop.example.com/products/sku-101';

/** Builds a track call from a browser, with the given event name and properties. */
export function trackCall(
  event: string,
  properties: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): PipelinesCall {
  return pipelinesCallSchema.parse({
    type: 'track',
    messageId: 'msg_test_1',
    timestamp: '2026-12-01T11:00:00.000Z',
    userId: 'cust_1',
    event,
    properties,
    context: { ip: '203.0.113.9', userAgent: USER_AGENT, page: { url: PAGE_URL } },
    ...extra,
  });
}

/** user_data as buildUserData returns it for a browser call with a userId. */
export function browserIdentity(userData: UserDataResult['userData'] = {}): UserDataResult {
  return {
    userData: {
      external_id: 'a'.repeat(64),
      client_ip_address: '203.0.113.9',
      client_user_agent: USER_AGENT,
      ...userData,
    },
    warnings: [],
    sources: {},
  };
}

export function mapping(file: unknown = {}): MappingConfig {
  return parseMappingConfig(file, 'test mapping');
}

export function mapWith(
  call: PipelinesCall,
  config: MappingConfig = mapping(),
  identity: UserDataResult = browserIdentity(),
): MapOutcome {
  return mapCall(call, identity, config, { now: NOW });
}

/** Returns the sent event of an outcome, and fails the test with the outcome when it is not a send. */
export function sent(outcome: MapOutcome): ServerEvent {
  if (outcome.outcome !== 'send') {
    throw new Error(`expected send, got ${JSON.stringify(outcome)}`);
  }
  return outcome.event;
}

/** Returns the reason code of a skip or reject, or `send` when the call was sent. */
export function codeOf(outcome: MapOutcome): string {
  return outcome.outcome === 'send' ? 'send' : outcome.reason.code;
}
