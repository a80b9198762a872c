import { buildReplayQuery, quote, ReplayFilterError } from '../../src/replay';

const FAILED =
  'WorkflowType = "conversionWorkflow" AND ' +
  '((DeliveryStatus = "rejected" AND ExecutionStatus = "Failed") OR ' +
  '(DeliveryStatus = "expired" AND ExecutionStatus = "Failed"))';

describe('buildReplayQuery', () => {
  test('default selects rejected and expired', () => {
    expect(buildReplayQuery()).toBe(FAILED);
  });

  test('held selects running workflows', () => {
    expect(buildReplayQuery({ statuses: ['held'] })).toBe(
      'WorkflowType = "conversionWorkflow" AND ' +
        '(DeliveryStatus = "held" AND ExecutionStatus = "Running")',
    );
  });

  test('repeated status appears once', () => {
    expect(buildReplayQuery({ statuses: ['rejected', 'expired', 'rejected'] })).toBe(FAILED);
  });

  test('every filter joins by AND', () => {
    const query = buildReplayQuery({
      since: new Date('2026-11-24T00:00:00+01:00'),
      until: new Date('2026-12-01T12:00:00Z'),
      metaEvent: 'Purchase',
      pixelId: '100000000000001',
      reasonCode: 'meta_100_2804010',
      query: 'SourceEvent = "Order Completed" OR SourceEvent = "Checkout"',
    });
    expect(query).toBe(
      `${FAILED} AND EventTime >= "2026-11-23T23:00:00.000Z" AND ` +
        'EventTime <= "2026-12-01T12:00:00.000Z" AND MetaEvent = "Purchase" AND ' +
        'PixelId = "100000000000001" AND ReasonCode = "meta_100_2804010" AND ' +
        '(SourceEvent = "Order Completed" OR SourceEvent = "Checkout")',
    );
  });

  test('quotes and backslashes are escaped', () => {
    const query = buildReplayQuery({
      reasonCode: 'x" OR DeliveryStatus = "sent',
      metaEvent: 'a\\',
    });
    expect(query).toBe(
      `${FAILED} AND MetaEvent = "a\\\\" AND ` + 'ReasonCode = "x\\" OR DeliveryStatus = \\"sent"',
    );
  });

  test('quote escapes each special character', () => {
    expect(quote('plain')).toBe('"plain"');
    expect(quote('say "hi"')).toBe('"say \\"hi\\""');
    expect(quote('back\\slash')).toBe('"back\\\\slash"');
  });

  test('invalid filters are rejected', () => {
    expect(() => buildReplayQuery({ statuses: [] })).toThrow(ReplayFilterError);
    expect(() => buildReplayQuery({ statuses: ['sent' as 'held'] })).toThrow(
      'invalid status "sent": expected rejected, expired, held',
    );
    expect(() =>
      buildReplayQuery({
        since: new Date('2026-12-02T00:00:00Z'),
        until: new Date('2026-12-01T00:00:00Z'),
      }),
    ).toThrow('since 2026-12-02T00:00:00.000Z is after until 2026-12-01T00:00:00.000Z');
    expect(() => buildReplayQuery({ since: new Date('nonsense') })).toThrow(
      'since is not a valid time',
    );
    expect(() => buildReplayQuery({ query: '  ' })).toThrow('the raw query is empty');
  });

  test('filter errors carry a code', () => {
    try {
      buildReplayQuery({ statuses: [] });
      throw new Error('expected a ReplayFilterError');
    } catch (error) {
      expect((error as ReplayFilterError).code).toBe('INVALID_REPLAY_FILTER');
    }
  });
});
