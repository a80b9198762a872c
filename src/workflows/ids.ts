/**
 * The workflow id of one conversion. It is derived from the pixel, the Meta event name and the
 * event_id, so a redelivered call maps to the same id and Temporal refuses to start a second send.
 */
export function conversionWorkflowId(
  pixelId: string,
  metaEventName: string,
  eventId: string,
): string {
  return `conversion:${pixelId}:${metaEventName}:${eventId}`;
}
