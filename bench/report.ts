import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The machine and code a result was measured on. */
export interface RunContext {
  command: string;
  commit: string;
  /** True when `git status` showed uncommitted changes: the commit alone does not name the code. */
  dirty: boolean;
  date: string;
  machine: {
    cores: number;
    memoryGiB: number;
    cpuModel: string;
    node: string;
    loadAverage: number[];
  };
}

/** Reads the commit, the machine and the system load at the start of a run. */
export function runContext(projectRoot: string, argv: string[]): RunContext {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const cpus = os.cpus();
  return {
    command: ['npm run bench --', ...argv.map(quoteArg)].join(' '),
    commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
    date: new Date().toISOString(),
    machine: {
      cores: cpus.length,
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      node: process.version,
      loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    },
  };
}

/** Quotes a shell argument that contains anything but plain word characters. */
function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Writes the JSON result; returns its path. */
export function writeResult(file: string, result: unknown): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

const TABLE_HEADER = [
  '## Runs',
  '',
  'One row per `npm run bench` run, appended by the harness. "load before" is the 1-minute load',
  'average when the run started: above 0.5 on these 2 cores, other work was running at the same time.',
  '',
  '| date (UTC) | commit | machine | load before | command | result |',
  '| --- | --- | --- | --- | --- | --- |',
  '',
].join('\n');

/** Appends one row to the runs table of docs/benchmarks.md, creating the table when missing. */
export function appendDocsRow(docsFile: string, context: RunContext, summary: string): void {
  if (!existsSync(docsFile)) writeFileSync(docsFile, `# Benchmarks\n\n${TABLE_HEADER}`);
  const { machine } = context;
  const commit = context.dirty ? `${context.commit} (modified)` : context.commit;
  const cells = [
    context.date.slice(0, 16).replace('T', ' '),
    commit,
    `${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`,
    String(machine.loadAverage[0]),
    `\`${context.command}\``,
    summary,
  ];
  appendFileSync(docsFile, `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |\n`);
}
