import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { Command } from 'commander';
import { loadMappingConfig } from '../config/mapping';
import { loadSettings } from '../config/settings';
import { previewCall, type PreviewConfig } from '../mapping/preview';
import { formatSummary, PreviewCounter, type PreviewSummary } from '../mapping/preview-summary';
import { REJECT_CODES, type PreviewLine } from '../mapping/types';

/** The streams a command reads and writes, replaceable in tests. */
export interface CommandIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Sets the process exit code. @default sets process.exitCode */
  setExitCode: (code: number) => void;
}

export const processIo = (): CommandIo => ({
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  setExitCode: (code) => {
    process.exitCode = code;
  },
});

interface PreviewOptions {
  now?: string;
  config?: string;
  mapping?: string;
}

/** `preview [FILE]`: what each Customer.io call would become, one JSON line per call. */
export function previewCommand(io: CommandIo = processIo()): Command {
  return new Command('preview')
    .description(
      'Show what each Customer.io call would send to Meta, without sending: one JSON line per call ' +
        'on stdout and a count per outcome and reason on stderr. Reads NDJSON, a JSON array or a ' +
        '{"batch": [...]} body.',
    )
    .argument('[FILE]', 'input file; stdin when absent or "-"')
    .option('--now <ISO>', 'the current time for the 7-day window, as ISO 8601 (default: now)')
    .option('--config <PATH>', 'mapping file (default: CIO_CAPI_MAPPING, else the built-in rules)')
    .option('--mapping <PATH>', 'same as --config')
    .action(async (file: string | undefined, options: PreviewOptions) => {
      const now = parseNow(options.now);
      const settings = loadSettings();
      const mappingPath = options.config ?? options.mapping ?? settings.mappingPath;
      const config: PreviewConfig = {
        mapping: loadMappingConfig(mappingPath),
        identity: { defaultCountry: settings.defaultCountry },
      };
      const input = file === undefined || file === '-' ? io.stdin : createReadStream(file);

      const summary = await runPreview(input, io.stdout, config, now);
      io.stderr.write(formatSummary(summary));
    });
}

/**
 * Previews every call of an input stream, writing one JSON line per call to output. NDJSON is
 * streamed line by line; a JSON array or a multi-line document is read whole. A line that is not
 * JSON becomes an `invalid_json` reject with its line number.
 */
export async function runPreview(
  input: Readable,
  output: Writable,
  config: PreviewConfig,
  now: Date,
): Promise<PreviewSummary> {
  const counter = new PreviewCounter();
  const emit = async (line: PreviewLine): Promise<void> => {
    counter.add(line);
    if (!output.write(`${JSON.stringify(line)}\n`)) await once(output, 'drain');
  };
  const previewLine = async (text: string, lineNumber: number): Promise<void> => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      await emit(invalidJson(lineNumber, (error as Error).message));
      return;
    }
    for (const call of expandBatch(raw)) {
      await emit(withLine(previewCall(call, config, now), lineNumber));
    }
  };

  const lines = createInterface({ input, crlfDelay: Infinity });
  let mode: 'unknown' | 'lines' | 'document' = 'unknown';
  const buffered: Array<[string, number]> = [];
  let lineNumber = 0;

  for await (const text of lines) {
    lineNumber += 1;
    if (mode === 'document') {
      buffered.push([text, lineNumber]);
      continue;
    }
    if (text.trim() === '') continue;
    if (mode === 'unknown') mode = looksLikeDocument(text) ? 'document' : 'lines';
    if (mode === 'document') buffered.push([text, lineNumber]);
    else await previewLine(text, lineNumber);
  }

  if (mode === 'document') {
    const whole = tryParse(buffered.map(([text]) => text).join('\n'));
    if (whole.ok) {
      for (const call of expandBatch(whole.value)) await emit(previewCall(call, config, now));
    } else {
      // Not one JSON document after all: NDJSON whose first line is broken.
      for (const [text, number] of buffered) {
        if (text.trim() !== '') await previewLine(text, number);
      }
    }
  }
  return counter.summary;
}

/** Detects a multi-line document: a first line that opens an array, or an unclosed object. */
function looksLikeDocument(firstLine: string): boolean {
  const text = firstLine.trim();
  return text.startsWith('[') || (text.startsWith('{') && !tryParse(text).ok);
}

function expandBatch(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (
    raw !== null &&
    typeof raw === 'object' &&
    Array.isArray((raw as { batch?: unknown }).batch)
  ) {
    return (raw as { batch: unknown[] }).batch;
  }
  return [raw];
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function withLine(line: PreviewLine, lineNumber: number): PreviewLine {
  const { messageId, ...rest } = line;
  return { messageId, line: lineNumber, ...rest };
}

function invalidJson(lineNumber: number, detail: string): PreviewLine {
  return {
    messageId: null,
    line: lineNumber,
    outcome: 'reject',
    reason: {
      code: REJECT_CODES.invalidJson,
      field: `line ${lineNumber}`,
      message: `line ${lineNumber} is not valid JSON: ${detail}`,
    },
  };
}

/** Parses `--now`, or returns the current time when it is absent. */
export function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const now = new Date(text);
  if (Number.isNaN(now.getTime())) {
    throw new Error(`--now "${text}" is not a valid ISO 8601 time, such as 2026-12-01T12:00:00Z`);
  }
  return now;
}
