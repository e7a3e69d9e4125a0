/**
 * The one module that loads the Reflect polyfill before tsyringe. Every other file imports DI from
 * here, so bundlers cannot evaluate tsyringe first (it throws without `Reflect.getMetadata`). The
 * polyfill is core's own ES module (./reflect-polyfill.ts), not the CommonJS `reflect-metadata`,
 * because bundlers keep ES module evaluation order but may defer a wrapped CommonJS module.
 * Internal: `createGradscope` makes a child of tsyringe's root container here; the root itself is
 * not exported, and nothing registers on it.
 */
import './reflect-polyfill.js';
export { container } from 'tsyringe';
export type { DependencyContainer, InjectionToken } from 'tsyringe';
