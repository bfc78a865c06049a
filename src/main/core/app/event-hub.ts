/**
 * Typed fan-out of the contract's push events (one hub per app service, never a module singleton):
 *   const hub = createEventHub(); const off = hub.on('status', show); hub.emit('status', s); off()
 */
import type { EventName, EventPayload, EventSource, Unsubscribe } from '../../../shared/contract';

export interface EventHub extends EventSource {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  listenerCount(): number;
}

export function createEventHub(): EventHub {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  return {
    on(event, listener): Unsubscribe {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => {
        set.delete(listener as (payload: never) => void);
      };
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) {
        // A failing listener (a closed connection) must not stop the others.
        try {
          (listener as (payload: EventPayload<typeof event>) => void)(payload);
        } catch {}
      }
    },
    listenerCount() {
      let count = 0;
      for (const set of listeners.values()) count += set.size;
      return count;
    },
  };
}
