import { Observable } from 'rxjs';
import { ChannelClosedError, type TransportSignal } from './push-channel.js';
import type { EventSourceCtor, EventSourceMessageLike } from './runtime-types.js';

export interface EventSourceTransportOptions {
  EventSourceCtor: EventSourceCtor;
  /** `EventSource` hands out named events only to listeners of that name. */
  eventNames: readonly string[];
  withCredentials: boolean;
}

/** `url` with `lastEventId` in its query: a new `EventSource` cannot set the header. */
export function withLastEventId(url: string, lastEventId: string | null): string {
  if (lastEventId === null) return url;
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  const separator = base.includes('?') ? '&' : '?';
  return `${base}${separator}lastEventId=${encodeURIComponent(lastEventId)}${hash === -1 ? '' : url.slice(hash)}`;
}

/**
 * One `EventSource` connection as transport signals. Its own reconnection is cut short: on the
 * first error it is closed and the attempt errors, so that backoff, user following and resume
 * stay ours (the browser would retry at its own pace, with no jitter, even for a signed-out user).
 */
export function eventSourceSignals(
  url: string,
  options: EventSourceTransportOptions,
): Observable<TransportSignal> {
  return new Observable<TransportSignal>((subscriber) => {
    const source = new options.EventSourceCtor(
      url,
      options.withCredentials ? { withCredentials: true } : undefined,
    );
    const onOpen = () => subscriber.next({ kind: 'open' });
    const onError = () => {
      source.close();
      subscriber.error(new ChannelClosedError('stream failed or closed'));
    };
    const listeners = options.eventNames.map((eventName) => {
      const listener = (event: EventSourceMessageLike) =>
        subscriber.next(
          // The browser keeps the last id when an event has none: '' means never one.
          event.lastEventId === ''
            ? { kind: 'frame', data: event.data, eventName }
            : { kind: 'frame', data: event.data, eventName, id: event.lastEventId },
        );
      return [eventName, listener] as const;
    });
    source.addEventListener('open', onOpen);
    source.addEventListener('error', onError);
    for (const [eventName, listener] of listeners) source.addEventListener(eventName, listener);
    return () => {
      source.removeEventListener('open', onOpen);
      source.removeEventListener('error', onError);
      for (const [eventName, listener] of listeners)
        source.removeEventListener(eventName, listener);
      source.close();
    };
  });
}
