export { xgradcam, xgradcamWeights } from './xgradcam.js';
