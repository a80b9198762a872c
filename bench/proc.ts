import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_SECOND = readClockTicks();

/** Resource use of one process, read from /proc. */
export interface ProcessSample {
  /** User plus system CPU time since the process started, in milliseconds. */
  cpuMs: number;
  /** Peak resident set size (VmHWM), in MiB. */
  peakRssMiB: number;
  /** Current resident set size (VmRSS), in MiB. */
  rssMiB: number;
}

/** Reads a process's CPU time and memory; undefined once the process has exited. */
export function sampleProcess(pid: number): ProcessSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces, so fields are counted after its closing bracket.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND,
      peakRssMiB: statusKiB(status, 'VmHWM') / 1024,
      rssMiB: statusKiB(status, 'VmRSS') / 1024,
    };
  } catch {
    return undefined;
  }
}

/** Lists the direct children of this process whose command line contains `needle`. */
export function findChildren(needle: string): number[] {
  const pids: number[] = [];
  for (const task of readdirSync('/proc/self/task')) {
    let children = '';
    try {
      children = readFileSync(`/proc/self/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const text of children.split(' ')) {
      const pid = Number(text);
      if (!Number.isInteger(pid) || pid <= 0) continue;
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) pids.push(pid);
      } catch {
        // The child exited between the two reads.
      }
    }
  }
  return pids;
}

function statusKiB(status: string, key: string): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

function readClockTicks(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    // NOTE: 100 is Linux's usual USER_HZ; a kernel with another value would scale CPU figures.
    return 100;
  }
}
