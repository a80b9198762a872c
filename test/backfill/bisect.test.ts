import { isEventLevelRejection, sendWithBisection } from '../../src/backfill/bisect';
import { MetaApiError, type GraphErrorClassification } from '../../src/meta/errors';
import type { ServerEvent } from '../../src/meta/types';

function event(id: number): ServerEvent {
  return {
    event_name: 'Purchase',
    event_time: 1_764_590_400,
    event_id: String(id),
    action_source: 'website',
    user_data: { em: 'a'.repeat(64) },
  };
}

const UNHASHED: GraphErrorClassification = {
  kind: 'permanent',
  source: 'graph_error',
  code: 100,
  subcode: 2804016,
  fbtraceId: 'trace-1',
  message: 'Invalid parameter',
};

/** Creates a Graph API stand-in that rejects every request containing one of the bad ids. */
function recordingSender(badIds: Set<string>, classification = UNHASHED) {
  const requests: string[][] = [];
  const accepted: string[] = [];
  const send = (events: ServerEvent[]): Promise<void> => {
    const ids = events.map((item) => item.event_id);
    requests.push(ids);
    if (ids.some((id) => badIds.has(id))) return Promise.reject(new MetaApiError(classification));
    accepted.push(...ids);
    return Promise.resolve();
  };
  return { send, requests, accepted };
}

const events = (count: number) => Array.from({ length: count }, (_, index) => event(index));

describe('sendWithBisection', () => {
  test('clean batch is one request', async () => {
    const sender = recordingSender(new Set());
    const result = await sendWithBisection(events(1000), sender.send);
    expect(result).toEqual({ sent: 1000, requests: 1, rejected: [] });
  });

  test('one bad event is isolated', async () => {
    const sender = recordingSender(new Set(['517']));
    const result = await sendWithBisection(events(1000), sender.send);

    expect(result.sent).toBe(999);
    expect(result.rejected).toEqual([
      {
        eventId: '517',
        eventName: 'Purchase',
        code: 100,
        subcode: 2804016,
        fbtraceId: 'trace-1',
        message: 'Invalid parameter',
      },
    ]);
    // One failed request per level down to the single event (1000 -> 1: 10 splits), plus the
    // accepted sibling at each level.
    expect(result.requests).toBe(21);
    expect(sender.requests).toHaveLength(21);
    expect(new Set(sender.accepted).size).toBe(999);
    expect(sender.accepted).toHaveLength(999);
    expect(sender.requests.at(-1)).not.toContain('517');
  });

  test('two bad events both isolated', async () => {
    const sender = recordingSender(new Set(['3', '998']));
    const result = await sendWithBisection(events(1000), sender.send);
    expect(result.sent).toBe(998);
    expect(result.rejected.map((item) => item.eventId)).toEqual(['3', '998']);
    expect(sender.accepted).toHaveLength(998);
  });

  test('non-parameter rejection blames batch', async () => {
    const status400: GraphErrorClassification = {
      kind: 'permanent',
      source: 'http_status',
      code: 0,
      httpStatus: 400,
      message: 'HTTP 400 without a Graph API error body',
    };
    const sender = recordingSender(new Set(['1']), status400);
    const result = await sendWithBisection(events(4), sender.send);
    expect(result.requests).toBe(1);
    expect(result.sent).toBe(0);
    expect(result.rejected.map((item) => item.eventId)).toEqual(['0', '1', '2', '3']);
  });

  test('transient error is thrown', async () => {
    const transient: GraphErrorClassification = {
      kind: 'transient',
      source: 'graph_error',
      code: 2,
      message: 'Service temporarily unavailable',
    };
    const sender = recordingSender(new Set(['0']), transient);
    await expect(sendWithBisection(events(10), sender.send)).rejects.toMatchObject({
      code: 'META_TRANSIENT',
    });
    expect(sender.requests).toHaveLength(1);
  });

  test('configuration error is thrown', async () => {
    const badToken: GraphErrorClassification = {
      kind: 'configuration',
      source: 'graph_error',
      code: 190,
      subcode: 463,
      message: 'Error validating access token',
    };
    const sender = recordingSender(new Set(['5']), badToken);
    await expect(sendWithBisection(events(10), sender.send)).rejects.toMatchObject({
      code: 'META_CONFIGURATION',
    });
    expect(sender.requests).toHaveLength(1);
  });

  test('empty batch sends nothing', async () => {
    const sender = recordingSender(new Set());
    expect(await sendWithBisection([], sender.send)).toEqual({
      sent: 0,
      requests: 0,
      rejected: [],
    });
    expect(sender.requests).toHaveLength(0);
  });
});

describe('isEventLevelRejection', () => {
  test('code 100 is event level', () => {
    expect(isEventLevelRejection(UNHASHED)).toBe(true);
    expect(isEventLevelRejection({ ...UNHASHED, subcode: undefined })).toBe(true);
    expect(isEventLevelRejection({ ...UNHASHED, code: 0, source: 'http_status' })).toBe(false);
    expect(isEventLevelRejection({ ...UNHASHED, kind: 'configuration', subcode: 33 })).toBe(false);
  });
});
