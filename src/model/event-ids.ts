/**
 * Event names interned as small integers: handlers, defer and ignore tables are arrays indexed by
 * event id. Every send and announce interns its event name, so an open-addressed cache (linear
 * probing) sits in front of the map: a Map lookup per send was a tenth of a Workload1 step, and the
 * earlier direct-mapped cache let two hot Workload1 events (MongoInsertRecordCompleted and
 * InvokeCompleted) evict each other. Names are compared by value (a name built at run time finds its id).
 */

const ids = new Map<string, number>();
const names: string[] = [];

/** Slots of the cache (a power of two, well above the event count of a model). */
const CACHE_SLOTS = 512;
/** Names cached at most (half the slots, so probe sequences stay short); later names use the map. */
const MAX_CACHED = CACHE_SLOTS / 2;
// Strings only (an empty slot holds '' with id -1), so V8 compares string to string.
const cachedNames: string[] = new Array<string>(CACHE_SLOTS).fill('');
const cachedIds: number[] = new Array<number>(CACHE_SLOTS).fill(-1);
let cached = 0;

/** A hash of the length and four characters (NaN past the end counts as 0). */
function slotOf(name: string): number {
  const n = name.length;
  let h = Math.imul(n, 0x9e3779b1);
  h = Math.imul(h ^ name.charCodeAt(n >> 2), 0x85ebca6b);
  h = Math.imul(h ^ name.charCodeAt(n >> 1), 0xc2b2ae35);
  h = Math.imul(h ^ name.charCodeAt(n - 1), 0x27d4eb2f);
  return (h ^ (h >>> 15)) & (CACHE_SLOTS - 1);
}

/** The id of event `name`, allocated on first use. */
export function internEvent(name: string): number {
  let slot = slotOf(name);
  // Bounded: at most MAX_CACHED slots are taken, so an empty one comes within CACHE_SLOTS probes.
  for (let probe = 0; probe < CACHE_SLOTS; probe++) {
    const at = cachedNames[slot] as string;
    if (at === '') break;
    if (at === name) return cachedIds[slot] as number;
    slot = (slot + 1) & (CACHE_SLOTS - 1);
  }
  return lookUp(name, slot);
}

/** The map lookup behind the cache; caches the name in `emptySlot` while there is room. */
function lookUp(name: string, emptySlot: number): number {
  let id = ids.get(name);
  if (id === undefined) {
    id = names.length;
    names.push(name);
    ids.set(name, id);
  }
  if (name !== '' && cached < MAX_CACHED && cachedNames[emptySlot] === '') {
    cachedNames[emptySlot] = name;
    cachedIds[emptySlot] = id;
    cached++;
  }
  return id;
}

/** The name of event `id` (undefined for an id never allocated). */
export function eventName(id: number): string | undefined {
  return names[id];
}

/** An interned event id that carries its event's name in its type: `EventId<'Tick'>`. */
export type EventId<K extends string = string> = number & { readonly __event?: K };

/** The id of an event given by name or by id. */
export function eventIdOf(event: string | EventId): number {
  return typeof event === 'number' ? event : internEvent(event);
}

/**
 * The ids of every event of `E`, interned once when a model is defined, so that handlers send ids
 * instead of names (`ctx.send(to, Ev.Tick, undefined)` skips the name lookup of every send).
 * Every event of `E` must be listed (as `Name: true`), so none is missing from the result.
 */
export function eventIds<E extends Record<string, unknown>>(events: Readonly<Record<keyof E & string, true>>): { readonly [K in keyof E & string]: EventId<K> } {
  // Built in one go (not by a store per name, which leaves V8 a slow dictionary object) and frozen: a
  // handler's `Ev.Name` is then a constant load.
  const result = Object.fromEntries(Object.keys(events).map((name) => [name, internEvent(name)]));
  return Object.freeze(result) as { readonly [K in keyof E & string]: EventId<K> };
}
