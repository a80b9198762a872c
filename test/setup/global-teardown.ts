import type { TestWorkflowEnvironment } from '@temporalio/testing';

export default async function globalTeardown(): Promise<void> {
  const env = (globalThis as { temporalTestEnv?: TestWorkflowEnvironment }).temporalTestEnv;
  await env?.teardown();
}
