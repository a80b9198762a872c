import { Command } from 'commander';
import {
  loadMappingConfig,
  mappingJsonSchema,
  MappingConfigError,
  type MappingConfig,
} from '../config/mapping';
import { loadSettings } from '../config/settings';
import { processIo, type CommandIo } from './preview';

/** `config check [PATH]` and `config schema`: validate the mapping file, or print its JSON Schema. */
export function configCommand(io: CommandIo = processIo()): Command {
  const command = new Command('config').description('Check the mapping file or print its schema');

  command
    .command('check')
    .description(
      'Validate a mapping file: print every problem with its JSON path and exit 1, or print ok ' +
        'and the enabled events',
    )
    .argument('[PATH]', 'mapping file (default: CIO_CAPI_MAPPING, else the built-in rules)')
    .action((path: string | undefined) => {
      const mappingPath = path ?? loadSettings().mappingPath;
      let mapping: MappingConfig;
      try {
        mapping = loadMappingConfig(mappingPath);
      } catch (error) {
        if (!(error instanceof MappingConfigError)) throw error;
        io.stderr.write(`${error.problems.length} problem(s) in ${error.source}:\n`);
        for (const problem of error.problems) {
          io.stderr.write(`  ${problem.path}: ${problem.message}\n`);
        }
        io.setExitCode(1);
        return;
      }
      io.stdout.write(`ok: ${mappingPath ?? 'built-in rules'}\n${describeEnabled(mapping)}\n`);
    });

  command
    .command('schema')
    .description('Print the JSON Schema of the mapping file, for editors')
    .action(() => {
      io.stdout.write(`${JSON.stringify(mappingJsonSchema(), null, 2)}\n`);
    });

  return command;
}

/** Describes each enabled rule on one line, such as `Order Completed -> Purchase`. */
export function describeEnabled(mapping: MappingConfig): string {
  const enabled = Object.values(mapping.rules).filter((rule) => rule.enabled);
  const names = enabled.map((rule) => `${rule.sourceEvent} -> ${rule.metaEvent}`);
  return `${enabled.length} events enabled: ${names.join(', ')}`;
}
