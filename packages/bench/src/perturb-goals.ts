/**
 * Issue 9's speed goals for the methods that run the model many times, judged from one run's
 * timings (ResNet-50, onnxruntime-node): Ablation-CAM at layer4 ≤ 2× a forward; occlusion and RISE
 * ≤ 1.2× a forward per evaluated input (against the forward's time per image at batch 32, the
 * batch they run at); Integrated Gradients with 50 steps ≤ 50 input-gradient (saliency) passes;
 * Score-CAM ≤ 0.5× torch's time for the same masked forwards (judged only with a torch reference).
 */
export const PERTURB_LIMITS = { ablationcam: 2, occlusion: 1.2, rise: 1.2, integratedGradients: 1, scorecam: 0.5 };

/** What one run measured (ms). */
export interface PerturbTimes {
  /** Median forward of one image, and the forward's time per image at batch 32. */
  readonly forwardMs: number;
  readonly forward32Ms: number;
  readonly ablationcamMs: number;
  readonly occlusion: { readonly ms: number; readonly inputs: number };
  readonly rise: { readonly ms: number; readonly inputs: number };
  readonly saliencyMs: number;
  readonly integratedGradients: { readonly ms: number; readonly steps: number };
  /** Score-CAM's `masked` masked forwards, with torch's time for the same work when known. */
  readonly scorecam?: {
    readonly ms: number;
    readonly masked: number;
    readonly peakMb: number;
    readonly torchMs?: number;
  };
}

/** One goal: what was measured, its ratio, the limit and the verdict (null: not judged). */
export interface PerturbCheck {
  readonly goal: string;
  readonly measured: string;
  readonly ratio: number | null;
  readonly limit: number;
  readonly met: boolean | null;
}

const ms = (x: number) => `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} ms`;
const check = (goal: string, measured: string, ratio: number | null, limit: number): PerturbCheck => ({
  goal,
  measured,
  ratio,
  limit,
  met: ratio === null ? null : ratio <= limit,
});

/** The goal checks of one run's timings. */
export function judgePerturb(t: PerturbTimes): PerturbCheck[] {
  const L = PERTURB_LIMITS;
  const perInput = (id: 'occlusion' | 'rise', what: string) => {
    const per = t[id].ms / t[id].inputs;
    return check(
      `${id} ≤ ${L[id]}× forward per evaluated input (batch 32)`,
      `${ms(t[id].ms)} for ${t[id].inputs} inputs (${what}) = ${ms(per)} each; forward ${ms(t.forward32Ms)} per image at batch 32, ${ms(t.forwardMs)} at batch 1 (${(per / t.forwardMs).toFixed(2)}×)`,
      per / t.forward32Ms,
      L[id],
    );
  };
  const ig = t.integratedGradients;
  const sc = t.scorecam;
  return [
    check(
      `ablationcam @ layer4 ≤ ${L.ablationcam}× forward`,
      `${ms(t.ablationcamMs)}; forward ${ms(t.forwardMs)}`,
      t.ablationcamMs / t.forwardMs,
      L.ablationcam,
    ),
    perInput('occlusion', 'window 32, stride 16, + the unmodified one'),
    perInput('rise', 'masks + the unmodified one'),
    check(
      `integrated-gradients, ${ig.steps} steps ≤ ${ig.steps} saliency passes`,
      `${ms(ig.ms)}; saliency ${ms(t.saliencyMs)} (× ${ig.steps} = ${ms(ig.steps * t.saliencyMs)})`,
      ig.ms / (ig.steps * t.saliencyMs),
      L.integratedGradients,
    ),
    sc
      ? check(
          `scorecam ≤ ${L.scorecam}× torch's ${sc.masked} masked forwards`,
          `${ms(sc.ms)} for ${sc.masked} masked inputs, peak RSS +${sc.peakMb.toFixed(0)} MB; torch ${sc.torchMs === undefined ? 'not measured' : ms(sc.torchMs)}`,
          sc.torchMs === undefined ? null : sc.ms / sc.torchMs,
          L.scorecam,
        )
      : check(`scorecam ≤ ${L.scorecam}× torch's masked forwards`, 'not timed (no torch reference)', null, L.scorecam),
  ];
}

/** A markdown table of the checks: goal, measured, ratio, verdict (✓ met, ✗ missed, — not judged). */
export function formatPerturbTable(checks: readonly PerturbCheck[]): string {
  const lines = ['| goal | measured | ratio | |', '| --- | --- | --- | --- |'];
  for (const c of checks)
    lines.push(
      `| ${c.goal} | ${c.measured} | ${c.ratio === null ? '—' : `${c.ratio.toFixed(2)}×`} | ${c.met === null ? '—' : c.met ? '✓' : '✗'} |`,
    );
  const judged = checks.filter((c) => c.met !== null);
  const missed = judged.filter((c) => !c.met);
  lines.push(
    '',
    `${judged.length - missed.length} of ${judged.length} goals met${missed.length ? `; missed: ${missed.map((c) => c.goal).join('; ')}` : ''}`,
  );
  return lines.join('\n');
}
