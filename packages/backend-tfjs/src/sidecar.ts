/**
 * The optional `<model>.gradscope.json` file next to `model.json` (see core's `parseSidecar` for the
 * fields: normalization, classes, inputSize, pixelRange, channelOrder).
 */
export { parseSidecar, sidecarPath } from '@gradscope/core';
