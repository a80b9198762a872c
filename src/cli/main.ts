#!/usr/bin/env node
import { Command } from 'commander';
import { backfillCommand } from './backfill';
import { configCommand } from './config';
import { demoCommand } from './demo';
import { emulatorCommand } from './emulator';
import { previewCommand } from './preview';
import { rejectionsCommand } from './rejections';
import { replayCommand } from './replay';
import { schedulesCommand } from './schedules';
import { serveCommand } from './serve';
import { setupCommand } from './setup';
import { workerCommand } from './worker';

/** The `cio-capi` command line: one file per command in this folder. */
export function buildProgram(): Command {
  return new Command('cio-capi')
    .description('Customer.io conversions to the Meta Conversions API, as Temporal workflows')
    .addCommand(demoCommand())
    .addCommand(workerCommand())
    .addCommand(serveCommand())
    .addCommand(emulatorCommand())
    .addCommand(previewCommand())
    .addCommand(rejectionsCommand())
    .addCommand(configCommand())
    .addCommand(setupCommand())
    .addCommand(backfillCommand())
    .addCommand(replayCommand())
    .addCommand(schedulesCommand());
}

async function run(): Promise<void> {
  await buildProgram().parseAsync(process.argv);
}

if (require.main === module) {
  run().catch((error: unknown) => {
    process.stderr.write(`cio-capi: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
