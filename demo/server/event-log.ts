/**
 * Server event ids and the replay buffer behind SSE resume (`Last-Event-ID`).
 *
 * Ids are `<run>.<seq>`: `seq` grows by one with every balance event of this server run (shared
 * by all users), `run` is random per start. An id from an earlier run is therefore unknown,
 * never mistaken for an event of this run that happens to have the same number.
 */
import { randomBytes } from 'node:crypto';

export interface LoggedEvent {
  id: string;
  /** The SSE event name, e.g. `token-balance-updated`. */
  type: string;
  /** The event's JSON, exactly as pushed. */
  data: string;
}

export class EventLog {
  private readonly run = randomBytes(4).toString('hex');
  private seq = 0;
  private readonly byUser = new Map<string, LoggedEvent[]>();

  constructor(private readonly capacity = 100) {}

  append(userId: string, type: string, data: string): LoggedEvent {
    this.seq += 1;
    const event = { id: `${this.run}.${this.seq}`, type, data };
    const events = this.byUser.get(userId) ?? [];
    events.push(event);
    if (events.length > this.capacity) events.splice(0, events.length - this.capacity);
    this.byUser.set(userId, events);
    return event;
  }

  /** The id of the user's latest event, if the log still has it. */
  newest(userId: string): string | null {
    return this.byUser.get(userId)?.at(-1)?.id ?? null;
  }

  /**
   * The user's events after `lastEventId`, or null when the log cannot honour that id: unknown
   * (another run, another user, made up), too old (out of the buffer), or forgotten. An honoured
   * id may be the newest: then nothing was missed and the list is empty.
   */
  since(userId: string, lastEventId: string): LoggedEvent[] | null {
    const events = this.byUser.get(userId) ?? [];
    const index = events.findIndex((event) => event.id === lastEventId);
    return index === -1 ? null : events.slice(index + 1);
  }

  /** Drops every buffer: the next resume cannot be honoured (a test knob, like a restart). */
  forget(): void {
    this.byUser.clear();
  }
}
