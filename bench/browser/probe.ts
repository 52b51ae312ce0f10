/**
 * Times WebSocket frames to the DOM. Every WebSocket the page opens gets a first `message`
 * listener that notes the frame's `MessageEvent.timeStamp` by version; a MutationObserver
 * notes when all subscribed components show that version's balance. Results are read by the
 * runner from `window.__frameProbe`.
 */
interface ProbeState {
  frames: Map<number, { balance: number; at: number }>;
  shown: Map<number, number>;
  ready: boolean;
}

declare global {
  interface Window {
    __frameProbe: ProbeState;
  }
}

export function installProbe(container: HTMLElement, count: number): void {
  const state: ProbeState = { frames: new Map(), shown: new Map(), ready: false };
  window.__frameProbe = state;
  const Native = window.WebSocket;
  class ProbedWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => {
        try {
          const message = JSON.parse(String(event.data)) as { balance?: number; version?: number };
          if (typeof message.version === 'number' && typeof message.balance === 'number') {
            state.frames.set(message.version, { balance: message.balance, at: event.timeStamp });
          }
        } catch {
          // Not ours to judge: the contender decides what to do with a malformed frame.
        }
      });
    }
  }
  window.WebSocket = ProbedWebSocket;

  const check = () => {
    const spans = container.querySelectorAll('[data-subscriber]');
    if (spans.length < count) return;
    const values = new Set([...spans].map((span) => span.textContent));
    if (values.size !== 1) return;
    state.ready = true;
    for (const [version, frame] of state.frames) {
      if (!state.shown.has(version) && values.has(String(frame.balance))) {
        state.shown.set(version, performance.now());
      }
    }
  };
  new MutationObserver(check).observe(container, {
    subtree: true,
    childList: true,
    characterData: true,
  });
}
