import { Command } from 'commander';
import { runDemo } from '../demo/run';
import { projectRoot } from './setup';

/** `cio-capi demo`: the whole pipeline on generated traffic, with embedded defaults. */
export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'start Temporal, the Meta emulator, a worker and the ingest server; send generated traffic; print a summary',
    )
    .option('--exit', 'exit after the summary instead of running until interrupted')
    .option('--seed <n>', 'seed of the generated traffic (default: from the clock)', parseInteger)
    .option('--calls <n>', 'distinct calls to generate (default: 600)', parseInteger)
    .option('--persist', 'keep Temporal data in .cio-capi/temporal.db instead of in memory')
    .option('--ui-port <n>', 'port of the Temporal Web UI (default: a free port)', parseInteger)
    .action(
      async (options: {
        exit?: boolean;
        seed?: number;
        calls?: number;
        persist?: boolean;
        uiPort?: number;
      }) => {
        const print = (line: string) => process.stdout.write(`${line}\n`);
        const demo = await runDemo({
          projectRoot: projectRoot(),
          seed: options.seed,
          calls: options.calls,
          persist: options.persist,
          uiPort: options.uiPort,
          print: (line) => process.stderr.write(`${line}\n`),
        });

        const { summary } = demo;
        print(
          `Summary: ${summary.calls} calls, ${summary.sent} sent to Meta, ${summary.skipped} skipped, ` +
            `${summary.rejected} rejected, ${summary.duplicates} duplicates`,
        );
        if (options.exit) {
          await demo.stop();
          print(JSON.stringify({ summary }));
          return;
        }

        print(JSON.stringify({ summary }));
        if (demo.uiUrl) print(`Temporal Web UI: ${demo.uiUrl}/namespaces/default/workflows`);
        print(`Ingest server: ${demo.ingestUrl} (Ctrl-C to stop)`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await demo.stop();
      },
    );
}

function parseInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`invalid number "${text}": expected a whole number`);
  return value;
}
