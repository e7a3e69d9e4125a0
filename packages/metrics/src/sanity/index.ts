export {
  sanityCheck,
  mapSimilarity,
  type SanityCheckOptions,
  type SanityCheckResult,
  type SanityStep,
} from './sanity-check.js';
export { sanityPlotSvg } from './sanity-plot-svg.js';
export { spearman } from './spearman.js';
export { ssim } from './ssim.js';
export { hog } from './hog.js';
