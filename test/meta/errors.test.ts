import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  classifyGraphError,
  MetaApiError,
  readRetryAfterMs,
  type ClassifyInput,
  type GraphErrorKind,
} from '../../src/meta/errors';

const graphError = (code: number, subcode?: number, extra: Record<string, unknown> = {}) => ({
  error: {
    message: 'Invalid parameter',
    type: 'OAuthException',
    code,
    ...(subcode === undefined ? {} : { error_subcode: subcode }),
    fbtrace_id: 'AbCdEf012345',
    ...extra,
  },
});

interface ClassifyCase {
  name: string;
  input: ClassifyInput;
  kind: GraphErrorKind;
}

const cases: ClassifyCase[] = [
  {
    name: 'is_transient on code 100',
    input: { httpStatus: 400, body: graphError(100, 2804003, { is_transient: true }) },
    kind: 'transient',
  },
  { name: 'code 1', input: { httpStatus: 500, body: graphError(1) }, kind: 'transient' },
  {
    name: 'code 2 at HTTP 400',
    input: { httpStatus: 400, body: graphError(2) },
    kind: 'transient',
  },
  {
    name: 'code 21009 dataset not ready',
    input: { httpStatus: 400, body: graphError(21009) },
    kind: 'transient',
  },
  { name: 'HTTP 500 without body', input: { httpStatus: 500 }, kind: 'transient' },
  {
    name: 'HTTP 503 unparsed body',
    input: { httpStatus: 503, body: undefined },
    kind: 'transient',
  },
  { name: 'HTML page at 502', input: { httpStatus: 502, htmlBody: true }, kind: 'transient' },
  { name: 'HTML page at 403', input: { httpStatus: 403, htmlBody: true }, kind: 'transient' },
  { name: 'code 4', input: { httpStatus: 400, body: graphError(4) }, kind: 'throttled' },
  { name: 'code 17', input: { httpStatus: 400, body: graphError(17) }, kind: 'throttled' },
  {
    name: 'code 17/2446079',
    input: { httpStatus: 400, body: graphError(17, 2446079) },
    kind: 'throttled',
  },
  { name: 'code 32', input: { httpStatus: 400, body: graphError(32) }, kind: 'throttled' },
  { name: 'code 613', input: { httpStatus: 400, body: graphError(613) }, kind: 'throttled' },
  {
    name: 'code 613/1487742',
    input: { httpStatus: 400, body: graphError(613, 1487742) },
    kind: 'throttled',
  },
  { name: 'code 80000', input: { httpStatus: 400, body: graphError(80000) }, kind: 'throttled' },
  { name: 'code 80004', input: { httpStatus: 400, body: graphError(80004) }, kind: 'throttled' },
  { name: 'code 80014', input: { httpStatus: 400, body: graphError(80014) }, kind: 'throttled' },
  { name: 'HTTP 429 without body', input: { httpStatus: 429 }, kind: 'throttled' },
  { name: 'code 341', input: { httpStatus: 400, body: graphError(341) }, kind: 'app_limited' },
  { name: 'code 368', input: { httpStatus: 400, body: graphError(368) }, kind: 'app_limited' },
  {
    name: 'code 100/2804003 too old',
    input: { httpStatus: 400, body: graphError(100, 2804003) },
    kind: 'permanent',
  },
  {
    name: 'code 100/2804009 no value',
    input: { httpStatus: 400, body: graphError(100, 2804009) },
    kind: 'permanent',
  },
  {
    name: 'code 100/2804010 no currency',
    input: { httpStatus: 400, body: graphError(100, 2804010) },
    kind: 'permanent',
  },
  {
    name: 'code 100/2804016 unhashed',
    input: { httpStatus: 400, body: graphError(100, 2804016) },
    kind: 'permanent',
  },
  {
    name: 'code 100/2804050 weak',
    input: { httpStatus: 400, body: graphError(100, 2804050) },
    kind: 'permanent',
  },
  {
    name: 'code 100/2804001 fbc',
    input: { httpStatus: 400, body: graphError(100, 2804001) },
    kind: 'permanent',
  },
  {
    name: 'code 100 without subcode',
    input: { httpStatus: 400, body: graphError(100) },
    kind: 'permanent',
  },
  {
    name: 'code 100 at HTTP 500',
    input: { httpStatus: 500, body: graphError(100, 1234) },
    kind: 'permanent',
  },
  { name: 'HTTP 400 without body', input: { httpStatus: 400 }, kind: 'permanent' },
  {
    name: 'code 100/33 unknown pixel',
    input: { httpStatus: 400, body: graphError(100, 33) },
    kind: 'configuration',
  },
  { name: 'code 190', input: { httpStatus: 400, body: graphError(190) }, kind: 'configuration' },
  {
    name: 'code 190/460',
    input: { httpStatus: 401, body: graphError(190, 460) },
    kind: 'configuration',
  },
  {
    name: 'code 190/463',
    input: { httpStatus: 400, body: graphError(190, 463) },
    kind: 'configuration',
  },
  {
    name: 'code 190/467',
    input: { httpStatus: 400, body: graphError(190, 467) },
    kind: 'configuration',
  },
  { name: 'code 10', input: { httpStatus: 403, body: graphError(10) }, kind: 'configuration' },
  { name: 'code 200', input: { httpStatus: 403, body: graphError(200) }, kind: 'configuration' },
  { name: 'code 299', input: { httpStatus: 403, body: graphError(299) }, kind: 'configuration' },
  { name: 'code 3', input: { httpStatus: 400, body: graphError(3) }, kind: 'configuration' },
  { name: 'HTTP 401 without body', input: { httpStatus: 401 }, kind: 'configuration' },
  { name: 'HTTP 404 without body', input: { httpStatus: 404 }, kind: 'configuration' },
  {
    name: 'unlisted code falls to status',
    input: { httpStatus: 500, body: graphError(80015) },
    kind: 'transient',
  },
];

describe('classifyGraphError', () => {
  test.each(cases)('$name is $kind', ({ input, kind }) => {
    expect(classifyGraphError(input).kind).toBe(kind);
  });

  test('keeps code, subcode and trace', () => {
    const classification = classifyGraphError({
      httpStatus: 400,
      body: graphError(100, 2804003, { error_user_msg: 'Ereignisse müssen ...' }),
    });

    expect(classification).toEqual({
      kind: 'permanent',
      source: 'graph_error',
      code: 100,
      subcode: 2804003,
      httpStatus: 400,
      fbtraceId: 'AbCdEf012345',
      message: 'Invalid parameter',
    });
  });

  test('body without error code', () => {
    const classification = classifyGraphError({ httpStatus: 400, body: { error: 'nope' } });

    expect(classification.source).toBe('http_status');
    expect(classification.code).toBe(0);
  });

  test('throttled carries retryAfterMs', () => {
    const classification = classifyGraphError({
      httpStatus: 400,
      body: graphError(17),
      headers: { 'retry-after': '120' },
    });

    expect(classification.retryAfterMs).toBe(120_000);
  });
});

describe('readRetryAfterMs', () => {
  const usage = (minutes: number[]) =>
    JSON.stringify({
      '111': minutes.map((value) => ({
        type: 'ads_management',
        estimated_time_to_regain_access: value,
      })),
      '222': [{ type: 'custom_audience', call_count: 3 }],
    });

  test('Retry-After in seconds', () => {
    expect(readRetryAfterMs({ 'retry-after': '30' })).toBe(30_000);
  });

  test('max regain access minutes', () => {
    expect(readRetryAfterMs({ 'x-business-use-case-usage': usage([2, 9, 0]) })).toBe(540_000);
  });

  test('longer wait wins', () => {
    const headers = { 'retry-after': '30', 'x-business-use-case-usage': usage([1]) };

    expect(readRetryAfterMs(headers)).toBe(60_000);
  });

  test('no usable header', () => {
    expect(readRetryAfterMs({})).toBeUndefined();
    expect(readRetryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
    expect(readRetryAfterMs({ 'x-business-use-case-usage': 'not json' })).toBeUndefined();
    expect(readRetryAfterMs({ 'x-business-use-case-usage': usage([0]) })).toBeUndefined();
  });
});

describe('MetaApiError', () => {
  test('code follows kind', () => {
    const kinds: Array<[GraphErrorKind, string]> = [
      ['transient', 'META_TRANSIENT'],
      ['throttled', 'META_THROTTLED'],
      ['app_limited', 'META_APP_LIMITED'],
      ['permanent', 'META_PERMANENT'],
      ['configuration', 'META_CONFIGURATION'],
    ];
    for (const [kind, code] of kinds) {
      const error = new MetaApiError({ kind, source: 'graph_error', code: 1, message: 'x' });
      expect(error.code).toBe(code);
    }
  });

  test('mismatch has own code', () => {
    const error = new MetaApiError({
      kind: 'transient',
      source: 'events_received_mismatch',
      code: 0,
      message: 'events_received is 0, expected 1',
    });

    expect(error.code).toBe('META_EVENTS_RECEIVED_MISMATCH');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MetaApiError');
  });

  test('message names code and trace', () => {
    const error = new MetaApiError(
      classifyGraphError({ httpStatus: 400, body: graphError(190, 463) }),
    );

    expect(error.message).toBe(
      'Meta Graph API request failed, configuration (code 190/463, HTTP 400, fbtrace_id AbCdEf012345): Invalid parameter',
    );
  });
});

// The example bodies of the shared Meta contract, when the checkout has it next to the project.
const referencePath = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'reference',
  'meta-capi.md',
);
const hasReference = existsSync(referencePath);
const referenceTest = hasReference ? test : test.skip;
const referenceName = hasReference
  ? 'reference examples classify'
  : `reference examples classify (skipped: ${referencePath} not found)`;

referenceTest(referenceName, () => {
  const text = readFileSync(referencePath, 'utf8');
  const bodies = text
    .split('\n')
    .filter((line) => line.startsWith('{"error":'))
    .map((line) => JSON.parse(line) as unknown);
  const kinds = bodies.map((body) => classifyGraphError({ httpStatus: 400, body }).kind);

  expect(kinds).toEqual([
    'permanent',
    'permanent',
    'configuration',
    'configuration',
    'throttled',
    'transient',
  ]);
});
