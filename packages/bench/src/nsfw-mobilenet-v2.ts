import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A weight of a tfjs weights manifest (the fields gradscope reads). */
export interface WeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: string;
}

/** nsfwjs's MobileNetV2 as written by `writeNsfwMobileNetV2`. */
export interface NsfwModelFiles {
  /** `model.json` path (weights in `w.bin` next to it, sidecar `nsfw.gradscope.json`). */
  readonly file: string;
  readonly topology: object;
  readonly specs: WeightSpec[];
  readonly weights: Buffer;
}

const require = createRequire(import.meta.url);

/**
 * Writes nsfwjs's MobileNetV2 (a pretrained Keras LayersModel, 224×224, 5 classes, softmax; it
 * ships as JS modules inside the npm package) into `dir` as a tfjs `nsfw.json` + `w.bin`, with a
 * sidecar giving its preprocessing (pixels / 255) and class names.
 */
export function writeNsfwMobileNetV2(dir: string): NsfwModelFiles {
  const root = dirname(dirname(dirname(require.resolve('nsfwjs'))));
  const m = require(join(root, 'dist/models/mobilenet_v2/model.min.js')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  };
  const shard = require(join(root, 'dist/models/mobilenet_v2/group1-shard1of1.min.js')) as string;
  const weights = Buffer.from(shard, 'base64');
  const specs = m.weightsManifest.flatMap((g) => g.weights);
  writeFileSync(join(dir, 'w.bin'), weights);
  writeFileSync(
    join(dir, 'nsfw.json'),
    JSON.stringify({ modelTopology: m.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: specs }] }),
  );
  writeFileSync(
    join(dir, 'nsfw.gradscope.json'),
    JSON.stringify({
      normalization: { mean: [0, 0, 0], std: [1, 1, 1] },
      classes: ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'],
    }),
  );
  return { file: join(dir, 'nsfw.json'), topology: m.modelTopology, specs, weights };
}
