/**
 * Runs in every tab before the demo app (Playwright `addInitScript`): records, on one clock that
 * all tabs share (`performance.timeOrigin + performance.now()`, Unix milliseconds),
 * - every BroadcastChannel post (its `kind`, and for `balance` its version and balance),
 * - every push connection this tab opens (WebSocket or EventSource) and every frame it gets,
 * - every balance request this tab makes (`fetch` of /api/auth/token-balance) and its answer,
 * - every number the wallet shows (a MutationObserver, so the time is the DOM commit's),
 * and lets the harness hide the tab: `document.visibilityState` is overridden while
 * `__probe.hide(true)` holds, and a `visibilitychange` is dispatched (headless tabs are never
 * hidden by the browser). Plain JS on purpose: it is injected as it is, untranspiled.
 */
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const log = { posts: [], connections: [], frames: [], requests: [], shown: [], hidden: null };
  const numberIn = (text) => {
    const match = /^-?\d+/.exec((text ?? '').trim());
    return match === null ? null : Number(match[0]);
  };

  const post = BroadcastChannel.prototype.postMessage;
  BroadcastChannel.prototype.postMessage = function probedPost(message) {
    const kind = message !== null && typeof message === 'object' ? message.kind : undefined;
    log.posts.push({
      at: now(),
      kind: String(kind),
      live: kind === 'connection' ? message.live : undefined,
      version: kind === 'balance' ? message.version : undefined,
      balance: kind === 'balance' ? message.balance : undefined,
    });
    return post.call(this, message);
  };

  const frame = (connection, type, data) => {
    let parsed = null;
    try {
      parsed = JSON.parse(data);
    } catch {}
    log.frames.push({
      at: now(),
      connection,
      type: parsed?.type ?? type,
      balance: typeof parsed?.balance === 'number' ? parsed.balance : null,
      version: typeof parsed?.version === 'number' ? parsed.version : null,
    });
  };
  const track = (target, kind, url) => {
    const connection = log.connections.length;
    const entry = { kind, url: String(url), createdAt: now(), openedAt: null, closedAt: null };
    log.connections.push(entry);
    target.addEventListener('open', () => {
      entry.openedAt = now();
    });
    const closed = () => {
      if (entry.closedAt === null) entry.closedAt = now();
    };
    target.addEventListener('close', closed);
    target.addEventListener('error', closed);
    const close = target.close.bind(target);
    target.close = () => {
      closed();
      close();
    };
    return connection;
  };

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class ProbedWebSocket extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      const connection = track(this, 'websocket', url);
      // Registered before the app's own handlers: the time is when the tab got the frame.
      this.addEventListener('message', (event) => frame(connection, 'message', event.data));
    }
  };

  const NativeEventSource = window.EventSource;
  window.EventSource = class ProbedEventSource extends NativeEventSource {
    constructor(url, init) {
      super(url, init);
      const connection = track(this, 'sse', url);
      for (const name of ['token-balance-updated', 'token-balance-hello', 'token-balance-resumed'])
        this.addEventListener(name, (event) => frame(connection, name, event.data));
    }
  };

  const nativeFetch = window.fetch;
  window.fetch = function probedFetch(input, init) {
    const url = typeof input === 'string' ? input : (input?.url ?? String(input));
    if (!url.includes('/api/auth/token-balance')) return nativeFetch.call(this, input, init);
    const entry = { at: now(), answeredAt: null, status: null, version: null, balance: null };
    log.requests.push(entry);
    const pending = nativeFetch.call(this, input, init);
    pending.then(
      (response) =>
        response
          .clone()
          .json()
          .then((body) => {
            Object.assign(entry, {
              answeredAt: now(),
              status: response.status,
              version: body?.version ?? null,
              balance: body?.balance ?? null,
            });
          })
          .catch(() => {}),
      () => {
        entry.answeredAt = now();
        entry.status = 'failed';
      },
    );
    return pending;
  };

  const visibility = Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState');
  const hiddenFlag = Object.getOwnPropertyDescriptor(Document.prototype, 'hidden');
  Object.defineProperty(Document.prototype, 'visibilityState', {
    configurable: true,
    get() {
      return log.hidden === null ? visibility.get.call(this) : log.hidden ? 'hidden' : 'visible';
    },
  });
  Object.defineProperty(Document.prototype, 'hidden', {
    configurable: true,
    get() {
      return log.hidden === null ? hiddenFlag.get.call(this) : log.hidden;
    },
  });

  let last = null;
  /** Waiters of `waitFor`, told by the observer: the harness does not poll the tabs. */
  const waiters = new Set();
  const observe = () => {
    const element = document.querySelector('[data-testid="wallet-balance"]');
    const text = element === null ? null : element.textContent;
    if (text === last) return;
    last = text;
    const balance = numberIn(text);
    log.shown.push({ at: now(), text, balance });
    for (const waiter of waiters) waiter(balance);
  };
  new MutationObserver(observe).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
  });

  window.__probe = {
    log,
    /** Resolves true once the wallet shows `balance` (at once if it does), false after `ms`. */
    waitFor(balance, ms) {
      if (log.shown.at(-1)?.balance === balance) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (result) => {
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve(result);
        };
        const waiter = (shown) => shown === balance && done(true);
        const timer = setTimeout(() => done(false), ms);
        waiters.add(waiter);
      });
    },
    hide(hidden) {
      log.hidden = hidden;
      document.dispatchEvent(new Event('visibilitychange'));
    },
  };
})();
