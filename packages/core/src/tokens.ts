import type { InjectionToken } from './di.js';
import type { Backend } from './backend.js';
import type { Method } from './method.js';

/** Multi-registration token for explanation methods. */
export const MethodToken: InjectionToken<Method> = Symbol.for('gradscope:method');
/** Multi-registration token for backends. */
export const BackendToken: InjectionToken<Backend> = Symbol.for('gradscope:backend');
