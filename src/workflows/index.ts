export { conversionWorkflow, retrySendSignal, deliveryStatusQuery } from './conversion';
