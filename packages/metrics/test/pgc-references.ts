import { readFileSync } from 'node:fs';

/** One case of `fixtures/pgc-references.json` (written by scripts/make-references.py from pytorch-grad-cam). */
export interface PgcCase {
  readonly fixture: 'tiny-cnn' | 'tiny-mobile';
  readonly input: string;
  readonly target: 'class' | 'softmax';
  readonly classIndex: number;
  readonly layer: string;
  readonly percentiles: readonly number[];
  /** pytorch-grad-cam's GradCAM map, `[32, 32]`. */
  readonly map: Float32Array;
  readonly score: number;
  readonly camMultImageConfidenceChange: number;
  readonly dropInConfidence: number;
  readonly increaseInConfidence: number;
  readonly roadMostRelevantFirst: Record<string, number>;
  readonly roadLeastRelevantFirst: Record<string, number>;
  readonly roadCombined: number;
  readonly imputedPixels: { morf: Record<string, number>; lerf: Record<string, number> };
  /** scipy's imputed images `[C, H, W]` per percentile (one case only). */
  readonly imputed?: { morf: Record<string, Float32Array>; lerf: Record<string, Float32Array> };
}

const f32 = (b64: string): Float32Array => {
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
};
const decodeAll = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, f32(v)]));

export function pgcCases(): PgcCase[] {
  const raw = JSON.parse(readFileSync(new URL('./fixtures/pgc-references.json', import.meta.url), 'utf8'));
  return raw.cases.map((c: any) => ({
    ...c,
    map: f32(c.map),
    ...(c.imputed ? { imputed: { morf: decodeAll(c.imputed.morf), lerf: decodeAll(c.imputed.lerf) } } : {}),
  }));
}
