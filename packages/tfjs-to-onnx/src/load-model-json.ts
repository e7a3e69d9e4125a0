import { ModelLoadError } from '@gradscope/core';
import type { LayersModelArtifacts, LayersModelJson, WeightSpec } from './artifacts.js';

/**
 * Assembles a LayersModel's artifacts from its `model.json` (text or parsed) and a reader for the
 * weight shard paths it lists (relative to `model.json`). Shards are concatenated in manifest order.
 */
export async function loadModelJson(
  json: string | LayersModelJson,
  readShard: (path: string) => Promise<Uint8Array>,
  source = 'model.json',
): Promise<LayersModelArtifacts> {
  let m: LayersModelJson;
  try {
    m = typeof json === 'string' ? (JSON.parse(json) as LayersModelJson) : json;
  } catch (e) {
    throw new ModelLoadError(source, `not JSON (${(e as Error).message})`, { cause: e });
  }
  if (!m || typeof m !== 'object' || !m.modelTopology)
    throw new ModelLoadError(source, 'no modelTopology: not a tfjs LayersModel model.json');
  if (m.format && m.format !== 'layers-model')
    throw new ModelLoadError(source, `format '${m.format}' is not a LayersModel (graph models are not supported)`);
  if (!Array.isArray(m.weightsManifest)) throw new ModelLoadError(source, 'no weightsManifest');
  const specs: WeightSpec[] = [];
  const shards: Uint8Array[] = [];
  for (const group of m.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) shards.push(await readShard(p));
  }
  const total = shards.reduce((n, s) => n + s.byteLength, 0);
  const weightData = new Uint8Array(total);
  let at = 0;
  for (const s of shards) {
    weightData.set(s, at);
    at += s.byteLength;
  }
  return { modelTopology: m.modelTopology, weightSpecs: specs, weightData };
}
