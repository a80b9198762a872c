import { proxyActivities } from '@temporalio/workflow';
import type { ConversionActivities } from '../activities';

const { noop } = proxyActivities<ConversionActivities>({
  startToCloseTimeout: '30 seconds',
});

/**
 * Runs one activity that does nothing: the engine baseline of the benchmarks. Its throughput is the
 * maximum this Temporal server and worker reach per workflow, and conversions are compared to it.
 */
export async function baselineWorkflow(): Promise<void> {
  await noop();
}
