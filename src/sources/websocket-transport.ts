import { Observable } from 'rxjs';
import { type WebSocketSubjectConfig, webSocket } from 'rxjs/webSocket';

type RxWebSocketCtor = NonNullable<WebSocketSubjectConfig<unknown>['WebSocketCtor']>;

import type { TransportSignal } from './push-channel.js';
import type { WebSocketCtor } from './runtime-types.js';

/**
 * One WebSocket connection on `rxjs/webSocket`, reported as transport signals; it completes on
 * a clean close and errors on a failure. rxjs's config names the DOM `WebSocket`; that type stays
 * in here, out of the public signatures, which take the structural `WebSocketCtor`.
 */
export function webSocketSignals(
  url: string,
  WebSocketCtor: WebSocketCtor,
  protocols: string | string[] | undefined,
): Observable<TransportSignal> {
  return new Observable<TransportSignal>((subscriber) => {
    const socket$ = webSocket<unknown>({
      url,
      // Keep frames raw: a malformed one is rejected by the decoder instead of erroring the stream.
      deserializer: (event) => event.data,
      ...(protocols === undefined ? {} : { protocol: protocols }),
      // Any WHATWG-style socket does; rxjs types it as the DOM class.
      WebSocketCtor: WebSocketCtor as RxWebSocketCtor,
      openObserver: { next: () => subscriber.next({ kind: 'open' }) },
    });
    const subscription = socket$.subscribe({
      next: (data) => subscriber.next({ kind: 'frame', data }),
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => subscription.unsubscribe();
  });
}
