import { PassThrough } from 'node:stream';
import { CommanderError } from 'commander';
import { replayCommand, toReplayOptions, type ReplayCliOptions } from '../../src/cli/replay';
import type { CommandIo } from '../../src/cli/preview';

function testIo(): CommandIo {
  return {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    setExitCode: () => undefined,
  };
}

/** Parses the arguments with the real command, capturing the options instead of replaying. */
async function parse(args: string[]): Promise<ReplayCliOptions> {
  let captured: ReplayCliOptions | undefined;
  const command = replayCommand(testIo(), (options) => {
    captured = options;
    return Promise.resolve();
  });
  command.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  await command.parseAsync(args, { from: 'user' });
  if (!captured) throw new Error('the replay action did not run');
  return captured;
}

async function parseError(args: string[]): Promise<CommanderError> {
  try {
    await parse(args);
  } catch (error) {
    if (error instanceof CommanderError) return error;
    throw error;
  }
  throw new Error(`expected ${args.join(' ')} to fail`);
}

describe('replay command options', () => {
  test('defaults select failed conversions', async () => {
    const options = await parse([]);
    expect(options.status).toEqual(['rejected', 'expired']);
    expect(options.dryRun).toBeUndefined();
    expect(options.concurrency).toBe(8);
    expect(toReplayOptions(options)).toEqual({
      filters: { statuses: ['rejected', 'expired'] },
      now: undefined,
      dryRun: false,
      resendUnconfirmed: false,
      concurrency: 8,
    });
  });

  test('every option is parsed', async () => {
    const options = await parse([
      '--status',
      'held, rejected,held',
      '--since',
      '2026-11-24T00:00:00Z',
      '--until',
      '2026-12-01T12:00:00Z',
      '--event',
      'Purchase',
      '--pixel',
      '100000000000001',
      '--reason',
      'meta_190_467',
      '--query',
      'SourceEvent = "Order Completed"',
      '--config',
      '/etc/cio-capi.json',
      '--now',
      '2026-12-02T00:00:00Z',
      '--dry-run',
      '--resend-unconfirmed',
      '--concurrency',
      '3',
    ]);
    expect(options.config).toBe('/etc/cio-capi.json');
    expect(toReplayOptions(options)).toEqual({
      filters: {
        statuses: ['held', 'rejected'],
        since: new Date('2026-11-24T00:00:00Z'),
        until: new Date('2026-12-01T12:00:00Z'),
        metaEvent: 'Purchase',
        pixelId: '100000000000001',
        reasonCode: 'meta_190_467',
        query: 'SourceEvent = "Order Completed"',
      },
      now: new Date('2026-12-02T00:00:00Z'),
      dryRun: true,
      resendUnconfirmed: true,
      concurrency: 3,
    });
  });

  test('invalid values are rejected', async () => {
    const status = await parseError(['--status', 'sent']);
    expect(status.code).toBe('commander.invalidArgument');
    expect(status.message).toContain('invalid status "sent": expected rejected, expired, held');

    const since = await parseError(['--since', 'yesterday']);
    expect(since.message).toContain('invalid time "yesterday": expected ISO 8601');

    const pixel = await parseError(['--pixel', 'abc']);
    expect(pixel.message).toContain('invalid pixel id "abc": expected 5 to 20 digits');

    const concurrency = await parseError(['--concurrency', '0']);
    expect(concurrency.message).toContain('expected a whole number from 1 to 256');

    const empty = await parseError(['--status', ',']);
    expect(empty.message).toContain('expected one or more of rejected, expired, held');
  });
});
