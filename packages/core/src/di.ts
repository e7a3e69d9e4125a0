/**
 * The one module that loads the Reflect polyfill before tsyringe. Every other file imports DI from
 * here, so bundlers cannot evaluate tsyringe first (it throws without `Reflect.getMetadata`).
 */
import 'reflect-metadata';
export { container, injectable, inject, injectAll } from 'tsyringe';
export type { DependencyContainer, InjectionToken } from 'tsyringe';
