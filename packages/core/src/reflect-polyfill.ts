/**
 * The slice of the Reflect metadata API that tsyringe and TypeScript's `emitDecoratorMetadata` use
 * (`metadata`, `defineMetadata`, `getMetadata`, `getOwnMetadata`, `hasMetadata`, `hasOwnMetadata`),
 * installed on the global `Reflect` only when it is missing (an app that loads `reflect-metadata`
 * keeps it, and a later `reflect-metadata` adopts these through its fallback provider).
 *
 * An ES module on purpose: bundlers evaluate ES modules in import order, whereas a CommonJS
 * polyfill (`reflect-metadata`) gets wrapped lazily and Rolldown (Vite 8) evaluated tsyringe before
 * it in production builds, which then threw "tsyringe requires a reflect polyfill".
 */
type Key = string | symbol | undefined;
type Store = Map<Key, Map<unknown, unknown>>;

const stores = new WeakMap<object, Store>();

function own(target: object, key: Key, create: true): Map<unknown, unknown>;
function own(target: object, key: Key, create: false): Map<unknown, unknown> | undefined;
function own(target: object, key: Key, create: boolean): Map<unknown, unknown> | undefined {
  let store = stores.get(target);
  if (!store) {
    if (!create) return undefined;
    store = new Map();
    stores.set(target, store);
  }
  let map = store.get(key);
  if (!map && create) {
    map = new Map();
    store.set(key, map);
  }
  return map;
}

function lookup(metaKey: unknown, target: object, key: Key): { found: boolean; value: unknown } {
  for (let o: object | null = target; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const map = own(o, key, false);
    if (map?.has(metaKey)) return { found: true, value: map.get(metaKey) };
  }
  return { found: false, value: undefined };
}

const api = {
  defineMetadata(metaKey: unknown, value: unknown, target: object, key?: Key): void {
    own(target, key, true).set(metaKey, value);
  },
  metadata(metaKey: unknown, value: unknown) {
    return (target: object, key?: Key): void => api.defineMetadata(metaKey, value, target, key);
  },
  getOwnMetadata: (metaKey: unknown, target: object, key?: Key): unknown => own(target, key, false)?.get(metaKey),
  hasOwnMetadata: (metaKey: unknown, target: object, key?: Key): boolean =>
    own(target, key, false)?.has(metaKey) ?? false,
  getMetadata: (metaKey: unknown, target: object, key?: Key): unknown => lookup(metaKey, target, key).value,
  hasMetadata: (metaKey: unknown, target: object, key?: Key): boolean => lookup(metaKey, target, key).found,
};

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect['getMetadata'] !== 'function') {
  for (const [name, fn] of Object.entries(api))
    Object.defineProperty(Reflect, name, { configurable: true, writable: true, value: fn });
}
