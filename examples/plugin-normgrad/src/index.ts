export { normgrad, normgradMap } from './normgrad.js';
