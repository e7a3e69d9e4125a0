import { describe, expect, it } from 'vitest';
import { container } from '../src/di.js';
import { inject, injectable } from 'tsyringe';

/** Core's own Reflect metadata polyfill (loaded by di.ts before tsyringe) serves tsyringe and decorators. */
describe('reflect polyfill', () => {
  it('installs the metadata API with prototype lookup', () => {
    const r = Reflect as unknown as Record<string, (...a: unknown[]) => unknown>;
    class A {}
    class B extends A {}
    r['defineMetadata']!('k', 1, A);
    r['defineMetadata']!('k', 2, A.prototype, 'm');
    expect(r['getMetadata']!('k', B)).toBe(1);
    expect(r['getOwnMetadata']!('k', B)).toBeUndefined();
    expect(r['hasMetadata']!('k', B)).toBe(true);
    expect(r['hasOwnMetadata']!('k', A)).toBe(true);
    expect(r['getMetadata']!('k', B.prototype, 'm')).toBe(2);
    expect(r['getMetadata']!('k', B.prototype)).toBeUndefined();
  });

  it('lets tsyringe resolve a decorated class on a child container', () => {
    const Token = Symbol('greeting');
    class Greeter {
      constructor(readonly greeting: string) {}
    }
    // What `@injectable() class Greeter { constructor(@inject(Token) g: string) }` compiles to.
    const r = Reflect as unknown as { metadata: (k: string, v: unknown) => (t: object) => void };
    r.metadata('design:paramtypes', [String])(Greeter);
    inject(Token)(Greeter, undefined, 0);
    injectable()(Greeter);
    const c = container.createChildContainer();
    c.register(Token, { useValue: 'hello' });
    expect(c.resolve(Greeter).greeting).toBe('hello');
  });
});
