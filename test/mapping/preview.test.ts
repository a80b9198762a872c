import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { configCommand } from '../../src/cli/config';
import { previewCommand, runPreview, type CommandIo } from '../../src/cli/preview';
import { mappingJsonSchema } from '../../src/config/mapping';
import { previewCall } from '../../src/mapping/preview';
import type { PreviewLine } from '../../src/mapping/types';
import { NOW, PAGE_URL, USER_AGENT, mapping } from './helpers';

const FIXTURE = join(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'fixtures',
  'customerio',
  'pipelines-day.ndjson',
);

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
  lines(): PreviewLine[] {
    return this.text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as PreviewLine);
  }
}

function testIo(stdin = ''): CommandIo & { stdout: Collect; stderr: Collect; exitCode: number } {
  const io = {
    stdin: Readable.from([stdin]),
    stdout: new Collect(),
    stderr: new Collect(),
    exitCode: 0,
    setExitCode: (code: number) => {
      io.exitCode = code;
    },
  };
  return io;
}

function rawTrack(messageId: string, event = 'Product Viewed'): Record<string, unknown> {
  return {
    type: 'track',
    messageId,
    timestamp: '2026-12-01T11:00:00Z',
    userId: 'cust_1',
    event,
    properties: { product_id: 'p1' },
    context: { ip: '203.0.113.9', userAgent: USER_AGENT, page: { url: PAGE_URL } },
  };
}

describe('previewCall', () => {
  test('invalid call names field', () => {
    const line = previewCall(
      { type: 'track', messageId: 'm1', timestamp: 1 },
      { mapping: mapping() },
      NOW,
    );
    expect(line).toEqual({
      messageId: 'm1',
      outcome: 'reject',
      reason: {
        code: 'invalid_call',
        field: 'event',
        message: 'event: a track call needs an event name',
      },
    });
  });

  test('send carries sources', () => {
    const line = previewCall(rawTrack('m2'), { mapping: mapping() }, NOW);
    expect(line.outcome).toBe('send');
    expect(line.event?.event_name).toBe('ViewContent');
    expect(line.sources?.external_id).toBe('userId');
    expect(line.event?.user_data.client_user_agent).toBe(USER_AGENT);
  });
});

describe('runPreview input', () => {
  test('ndjson with a broken line', async () => {
    const input = `${JSON.stringify(rawTrack('a'))}\n{"type": \n\n${JSON.stringify({ batch: [rawTrack('b'), rawTrack('c')] })}\n`;
    const output = new Collect();
    const summary = await runPreview(Readable.from([input]), output, { mapping: mapping() }, NOW);
    const lines = output.lines();

    expect(lines.map((line) => [line.line, line.messageId, line.outcome])).toEqual([
      [1, 'a', 'send'],
      [2, null, 'reject'],
      [4, 'b', 'send'],
      [4, 'c', 'send'],
    ]);
    expect(lines[1]?.reason?.code).toBe('invalid_json');
    expect(lines[1]?.reason?.message).toMatch(/^line 2 is not valid JSON/);
    expect(summary.outcomes).toEqual({ send: 3, skip: 0, reject: 1 });
  });

  test('json array document', async () => {
    const input = JSON.stringify([rawTrack('a'), rawTrack('b', 'Coupon Applied')], null, 2);
    const output = new Collect();
    await runPreview(Readable.from([input]), output, { mapping: mapping() }, NOW);
    expect(output.lines().map((line) => [line.messageId, line.outcome, line.reason?.code])).toEqual(
      [
        ['a', 'send', undefined],
        ['b', 'skip', 'unmapped_event'],
      ],
    );
  });

  test('pretty batch document', async () => {
    const input = JSON.stringify({ batch: [rawTrack('a'), rawTrack('b')] }, null, 2);
    const output = new Collect();
    const summary = await runPreview(Readable.from([input]), output, { mapping: mapping() }, NOW);
    expect(summary.total).toBe(2);
    expect(summary.repeatedMessageIds).toBe(0);
  });
});

describe('preview command', () => {
  test('reads stdin, summary on stderr', async () => {
    const io = testIo(
      `${JSON.stringify(rawTrack('a'))}\n${JSON.stringify(rawTrack('a'))}\nnot json\n`,
    );
    await previewCommand(io).parseAsync(['--now', '2026-12-01T12:00:00Z'], { from: 'user' });

    expect(io.stdout.lines()).toHaveLength(3);
    expect(io.stderr.text).toBe(
      [
        '3 calls: 2 send, 0 skip, 1 reject',
        `  reject ${'invalid_json'.padEnd(34)} ${'1'.padStart(6)}`,
        'identifiers on the 2 sent events: em 0.0%, ph 0.0%, external_id 100.0%, fbp 0.0%, fbc 0.0%, ip+user agent 100.0%',
        '1 calls repeat an earlier messageId (redeliveries); the workflow sends each event once',
        '',
      ].join('\n'),
    );
  });

  test('uses the mapping option', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preview-'));
    const path = join(dir, 'mapping.json');
    writeFileSync(path, JSON.stringify({ events: { 'Product Viewed': { enabled: false } } }));
    const io = testIo(JSON.stringify(rawTrack('a')));
    await previewCommand(io).parseAsync(['--mapping', path, '--now', '2026-12-01T12:00:00Z'], {
      from: 'user',
    });
    expect(io.stdout.lines()[0]?.reason?.code).toBe('event_disabled');
  });

  test('rejects an invalid now', async () => {
    const io = testIo('');
    await expect(
      previewCommand(io).parseAsync(['--now', 'soon'], { from: 'user' }),
    ).rejects.toThrow('--now "soon" is not a valid ISO 8601 time');
  });
});

describe('fixture day', () => {
  const run = existsSync(FIXTURE) ? test : test.skip;
  if (!existsSync(FIXTURE)) {
    console.warn(`skipping the fixture preview: ${FIXTURE} is not present`);
  }

  run('counts per outcome and reason', async () => {
    const io = testIo();
    await previewCommand(io).parseAsync([FIXTURE, '--now', '2026-12-01T12:00:00Z'], {
      from: 'user',
    });
    const lines = io.stdout.lines();
    const counts: Record<string, number> = {};
    for (const line of lines) {
      const key = line.outcome === 'send' ? 'send' : `${line.outcome}:${line.reason?.code}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }

    expect(lines).toHaveLength(2040);
    expect(counts).toEqual({
      send: 1373,
      'skip:event_disabled': 375,
      'skip:identify_call': 137,
      'skip:unmapped_event': 115,
      'reject:event_too_old': 13,
      'reject:no_customer_information': 11,
      'reject:event_in_future': 7,
      'reject:invalid_value': 5,
      'reject:website_event_missing_user_agent': 2,
      'reject:missing_currency': 2,
    });
    expect(io.stderr.text).toContain('2040 calls: 1373 send, 627 skip, 40 reject');
    expect(io.stderr.text).toContain('40 calls repeat an earlier messageId');
  });
});

describe('config command', () => {
  test('check lists problems', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    const path = join(dir, 'mapping.json');
    writeFileSync(
      path,
      JSON.stringify({ customDataAllowlist: ['email'], events: { X: { value: 'cost' } } }),
    );
    const io = testIo();
    configCommand(io).parse(['check', path], { from: 'user' });

    expect(io.exitCode).toBe(1);
    expect(io.stderr.text).toBe(
      [
        `3 problem(s) in ${path}:`,
        '  $.events.X.value: Invalid option: expected one of "revenue"|"total"|"value"|"price"',
        '  $.customDataAllowlist[0]: "email" looks like personal data, which must never go into custom_data',
        '  $.events.X.metaEvent: metaEvent is missing: "X" has no built-in rule, so it needs a Meta event name',
        '',
      ].join('\n'),
    );
  });

  test('check prints ok', () => {
    const io = testIo();
    configCommand(io).parse(
      ['check', join(__dirname, '..', '..', 'config', 'mapping.example.json')],
      { from: 'user' },
    );
    expect(io.exitCode).toBe(0);
    expect(io.stdout.text.split('\n')[1]).toBe(
      '6 events enabled: Order Completed -> Purchase, Checkout Started -> InitiateCheckout, Product Added -> AddToCart, Product Viewed -> ViewContent, Products Searched -> Search, VIP Qualified -> VIPQualified',
    );
  });

  test('schema prints json schema', () => {
    const io = testIo();
    configCommand(io).parse(['schema'], { from: 'user' });
    expect(JSON.parse(io.stdout.text)).toEqual(mappingJsonSchema());
  });
});
