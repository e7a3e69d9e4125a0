import type { DependencyContainer, InjectionToken } from './di.js';
import { DuplicateRegistrationError, UnknownBackendError, UnknownMethodError } from './errors.js';
import type { Backend } from './backend.js';
import type { Method } from './method.js';
import { BackendToken, MethodToken } from './tokens.js';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function all<T>(c: DependencyContainer, token: InjectionToken<T>): T[] {
  return c.isRegistered(token, true) ? c.resolveAll(token) : [];
}

function register<T extends { id: string }>(
  c: DependencyContainer,
  token: InjectionToken<T>,
  kind: string,
  items: readonly T[],
): void {
  // tsyringe's resolveAll stops at the nearest container holding any registration for the token: a
  // child's first registration would hide its parent's. Copy the inherited ones in first, so a child
  // container sees its parent's methods (as registered at that moment) plus its own.
  if (c.isRegistered(token, true) && !c.isRegistered(token, false)) {
    for (const inherited of c.resolveAll(token)) c.register(token, { useValue: inherited });
  }
  for (const item of items) {
    if (!KEBAB.test(item.id)) throw new TypeError(`${kind} id '${item.id}' must be kebab-case`);
    const existing = all(c, token).find((x) => x.id === item.id);
    if (existing === item) continue;
    if (existing) throw new DuplicateRegistrationError(kind, item.id);
    c.register(token, { useValue: item });
  }
}

/** Registers methods; the same object twice is a no-op, a different one under a taken id throws. */
export function registerMethods(c: DependencyContainer, methods: readonly Method<any>[]): void {
  register(c, MethodToken, 'method', methods as readonly Method[]);
}

/** Registers backends under their ids, with the same duplicate rules as methods. */
export function registerBackends(c: DependencyContainer, backends: readonly Backend[]): void {
  register(c, BackendToken, 'backend', backends);
}

export function listMethods(c: DependencyContainer): Method[] {
  return all(c, MethodToken);
}

export function listBackends(c: DependencyContainer): Backend[] {
  return all(c, BackendToken);
}

export function getMethod(c: DependencyContainer, id: string): Method {
  const ms = listMethods(c);
  const m = ms.find((x) => x.id === id);
  if (!m)
    throw new UnknownMethodError(
      id,
      ms.map((x) => x.id),
    );
  return m;
}

export function getBackend(c: DependencyContainer, id: string): Backend {
  const bs = listBackends(c);
  const b = bs.find((x) => x.id === id);
  if (!b)
    throw new UnknownBackendError(
      id,
      bs.map((x) => x.id),
    );
  return b;
}
