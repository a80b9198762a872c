export {
  conversionWorkflow,
  retrySendSignal,
  confirmDeliveredSignal,
  deliveryStatusQuery,
} from './conversion';
export { signalScanWorkflow } from './signals';
export { baselineWorkflow } from './baseline';
export { backfillWorkflow, backfillProgressQuery } from './backfill';
