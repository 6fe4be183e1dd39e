/**
 * Event names interned as small integers: handlers, defer and ignore tables are arrays indexed by
 * event id. Every send and announce interns its event name, so a direct-mapped cache of recent names
 * sits in front of the map (a Map lookup per send was a tenth of a Workload1 step). Names are compared
 * by value, so a collision only costs a map lookup.
 */

const ids = new Map<string, number>();
const names: string[] = [];

/** Slots of the cache (a power of two, well above the event count of a model). */
const CACHE_SLOTS = 256;
// Strings only (an empty slot holds '' with id -1), so V8 compares string to string.
const cachedNames: string[] = new Array<string>(CACHE_SLOTS).fill('');
const cachedIds: number[] = new Array<number>(CACHE_SLOTS).fill(-1);

function slotOf(name: string): number {
  const n = name.length;
  // NaN for the empty name, which `& mask` turns into slot 0.
  return (n * 31 + name.charCodeAt(n >> 1) * 7 + name.charCodeAt(n - 1) * 13 + name.charCodeAt(n >> 2)) & (CACHE_SLOTS - 1);
}

/** The id of event `name`, allocated on first use. */
export function internEvent(name: string): number {
  const slot = slotOf(name);
  if (cachedNames[slot] === name) {
    const cached = cachedIds[slot] as number;
    if (cached >= 0) return cached;
  }
  let id = ids.get(name);
  if (id === undefined) {
    id = names.length;
    names.push(name);
    ids.set(name, id);
  }
  cachedNames[slot] = name;
  cachedIds[slot] = id;
  return id;
}

/** The name of event `id` (undefined for an id never allocated). */
export function eventName(id: number): string | undefined {
  return names[id];
}
