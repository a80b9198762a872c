import type { ServerEvent } from '../meta/types';

/** One event the emulator accepted. */
export interface AcceptedEvent {
  pixelId: string;
  eventName: string;
  /** Empty when the event carried no event_id. */
  eventId: string;
  /** True when the same (pixel, event_name, event_id) was accepted before. */
  duplicate: boolean;
  testEventCode?: string;
  /** When the emulator accepted it, ISO 8601. */
  receivedAt: string;
  event: ServerEvent;
}

/** One request the emulator handled, accepted or not. It never contains the access token. */
export interface RecordedRequest {
  pixelId: string;
  status: number;
  /** The event_id of each event in the request that had one, in order. */
  eventIds: string[];
  eventNames: string[];
  /** Meta's error code and subcode of an error response, such as `100/2804003` or `17`. */
  error?: string;
  /** True when a scripted fault produced the response. */
  fault: boolean;
  receivedAt: string;
}

export interface EmulatorSummary {
  requests: number;
  acceptedEvents: number;
  /** Accepted events whose (pixel, event_name, event_id) had been accepted before. */
  duplicates: number;
  /** Requests rejected by validation, by `code` or `code/subcode`. */
  rejectedRequests: Record<string, number>;
  /** Requests that a scripted fault responded to. */
  faultedRequests: number;
  /** How many requests carried each event_id, whatever their response. */
  requestsByEventId: Record<string, number>;
}

export interface EventFilter {
  pixelId?: string;
  eventName?: string;
  eventId?: string;
}

/** In-memory record of the accepted events and of every request the emulator handled. */
export class EmulatorStore {
  private accepted: AcceptedEvent[] = [];
  private requestLog: RecordedRequest[] = [];
  private seenKeys = new Set<string>();

  /** @param onRecord called with each request as it is recorded, such as to log it */
  constructor(private readonly onRecord?: (request: RecordedRequest) => void) {}

  /** Records the events of an accepted request and returns how many were duplicates. */
  accept(pixelId: string, events: ServerEvent[], testEventCode: string | undefined): number {
    const receivedAt = new Date().toISOString();
    let duplicates = 0;

    for (const event of events) {
      const eventId = typeof event.event_id === 'string' ? event.event_id : '';
      const key = JSON.stringify([pixelId, event.event_name, eventId]);
      const duplicate = eventId !== '' && this.seenKeys.has(key);
      if (eventId !== '') this.seenKeys.add(key);
      if (duplicate) duplicates += 1;

      const record: AcceptedEvent = {
        pixelId,
        eventName: event.event_name,
        eventId,
        duplicate,
        receivedAt,
        event,
      };
      if (testEventCode !== undefined) record.testEventCode = testEventCode;
      this.accepted.push(record);
    }
    return duplicates;
  }

  recordRequest(request: RecordedRequest): void {
    this.requestLog.push(request);
    this.onRecord?.(request);
  }

  events(filter: EventFilter = {}): AcceptedEvent[] {
    return this.accepted.filter(
      (event) =>
        (filter.pixelId === undefined || event.pixelId === filter.pixelId) &&
        (filter.eventName === undefined || event.eventName === filter.eventName) &&
        (filter.eventId === undefined || event.eventId === filter.eventId),
    );
  }

  requests(filter: { eventId?: string } = {}): RecordedRequest[] {
    const { eventId } = filter;
    if (eventId === undefined) return [...this.requestLog];
    return this.requestLog.filter((request) => request.eventIds.includes(eventId));
  }

  summary(): EmulatorSummary {
    const rejectedRequests: Record<string, number> = {};
    const requestsByEventId: Record<string, number> = {};
    let faultedRequests = 0;

    for (const request of this.requestLog) {
      if (request.fault) faultedRequests += 1;
      else if (request.error !== undefined) {
        rejectedRequests[request.error] = (rejectedRequests[request.error] ?? 0) + 1;
      }
      for (const eventId of new Set(request.eventIds)) {
        requestsByEventId[eventId] = (requestsByEventId[eventId] ?? 0) + 1;
      }
    }

    return {
      requests: this.requestLog.length,
      acceptedEvents: this.accepted.length,
      duplicates: this.accepted.filter((event) => event.duplicate).length,
      rejectedRequests,
      faultedRequests,
      requestsByEventId,
    };
  }

  reset(): void {
    this.accepted = [];
    this.requestLog = [];
    this.seenKeys = new Set();
  }
}
