/**
 * The one module that loads the Reflect polyfill before tsyringe. Every other file imports DI from
 * here, so bundlers cannot evaluate tsyringe first (it throws without `Reflect.getMetadata`).
 * Internal: `createGradscope` makes a child of tsyringe's root container here; the root itself is
 * not exported, and nothing registers on it.
 */
import 'reflect-metadata';
export { container } from 'tsyringe';
export type { DependencyContainer, InjectionToken } from 'tsyringe';
