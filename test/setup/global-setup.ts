import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTemporalCli } from '../../src/temporal/binary';
import { CONVERSION_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';

/**
 * Starts one real Temporal dev server for the whole test run, unless TEMPORAL_ADDRESS names one
 * already. Test files connect through TEMPORAL_TEST_ADDRESS and use task queues of their own.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEMPORAL_ADDRESS) {
    process.env.TEMPORAL_TEST_ADDRESS = process.env.TEMPORAL_ADDRESS;
    return;
  }

  const projectRoot = path.resolve(__dirname, '..', '..');
  const cliPath = await ensureTemporalCli({ projectRoot });
  process.env.TEMPORAL_TEST_CLI_PATH = cliPath;

  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cliPath },
      searchAttributes: CONVERSION_SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: 'error' },
    },
  });
  process.env.TEMPORAL_TEST_ADDRESS = env.connection.options.address;
  (globalThis as { temporalTestEnv?: TestWorkflowEnvironment }).temporalTestEnv = env;
}
