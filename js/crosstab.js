// The browser side of cross-tab sharing (src/crosstab.rs): the channel, the
// lock and a follower's link to the leader tab. They carry no rules: the
// core's cross-tab machine (core/src/crosstab.rs) decides.

/** Web Locks and BroadcastChannel are both there. */
export function crossTabSupported() {
  return typeof BroadcastChannel === 'function' && typeof globalThis.navigator?.locks?.request === 'function';
}

/**
 * A BroadcastChannel named `name`, and what happens to it and to the Web Lock
 * of the same name, told to `on(message, data)`: `on(true, data)`, a message;
 * `on(false, 1)`, the lock was granted; `on(false, 2)`, it is busy;
 * `on(false, 3)`, it was lost (requestLock).
 */
export function openChannel(name, on) {
  const channel = new BroadcastChannel(name);
  const listener = (event) => on(true, event.data);
  channel.addEventListener('message', listener);
  return { channel, listener, name, on };
}

/** Posts a message: its header (JSON text) and, if any, the text beside it; nothing when the channel refuses it (closed). */
export function postTo(ch, header, text) {
  try {
    ch.channel.postMessage(text === undefined ? { h: header } : { h: header, text });
  } catch {
    // closed
  }
}

/** The header of a message from the channel, when it has one (a string). */
export function headerOf(data) {
  return typeof data?.h === 'string' ? data.h : undefined;
}

/** The text beside a message's header, when it has one (a string). */
export function textOf(data) {
  return typeof data?.text === 'string' ? data.text : undefined;
}

/** Removes the listener and closes the channel. */
export function closeChannel(ch) {
  ch.channel.removeEventListener('message', ch.listener);
  ch.channel.close();
}

/**
 * Asks for the Web Lock named as the channel `ch`: if free (`ifAvailable`;
 * `ch.on(false, 2)`, busy, when it is held), by waiting (`wait`), or by
 * taking it (`steal`). `ch.on(false, 1)`, granted, once held;
 * `ch.on(false, 3)`, lost, when another tab takes it. The handle's
 * `release()` releases the held lock or withdraws the waiting request, after
 * which no event fires.
 */
export function requestLock(ch, wait, steal) {
  const abort = new AbortController();
  const options = steal ? { steal: true } : wait ? { signal: abort.signal } : { ifAvailable: true };
  const handle = { done: false, held: false, free: undefined };
  handle.release = () => {
    handle.done = true;
    abort.abort();
    handle.free?.();
  };
  globalThis.navigator.locks
    .request(ch.name, options, (lock) => {
      if (handle.done) return undefined;
      if (lock === null) {
        handle.done = true;
        ch.on(false, 2);
        return undefined;
      }
      handle.held = true;
      return new Promise((resolve) => {
        handle.free = resolve;
        ch.on(false, 1);
      });
    })
    .then(
      () => {},
      () => {
        if (handle.held && !handle.done) {
          handle.done = true;
          ch.on(false, 3);
        }
      },
    );
  return handle;
}

/**
 * A follower's link to the leader tab, seen by the facade as its socket: it
 * opens when the leader's connection is open, carries the frames the leader
 * forwards (`message` events with the frame's text) and closes when asked.
 * Envelopes go out through the channel, not through it.
 */
class TabLink extends EventTarget {
  constructor() {
    super();
    this.readyState = 0;
  }
  /** Opens (asynchronously, as a socket does) unless it is closed. */
  open() {
    queueMicrotask(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.dispatchEvent(new Event('open'));
    });
  }
  /** A frame from the leader. */
  frame(text) {
    if (this.readyState === 1) this.dispatchEvent(new MessageEvent('message', { data: text }));
  }
  close(code = 1000, reason = '') {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    queueMicrotask(() => this.dispatchEvent(new CloseEvent('close', { code, reason, wasClean: true })));
  }
  send() {
    throw new DOMException('a tab link sends through the channel', 'InvalidStateError');
  }
}

/** A new link. */
export function newLink() {
  return new TabLink();
}

/** The text of a parsed frame, for the tab that owns it. */
export function frameText(frame) {
  return typeof frame === 'string' ? frame : JSON.stringify(frame);
}

/** The `roleChange` event object. */
export function roleEvent(previous, current) {
  return { previous, current };
}
