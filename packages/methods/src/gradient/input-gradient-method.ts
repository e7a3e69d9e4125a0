import {
  attributionMagnitude,
  defineMethod,
  MissingCapabilityError,
  type Capability,
  type Method,
  type ReluMode,
} from '@gradscope/core';

export interface InputGradientSpec {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly requires: readonly Capability[];
  /** How every ReLU propagates the gradient backwards. */
  readonly reluMode: ReluMode;
  /** Declares the `rectifiers` option (`all` | `relu`): which rectifiers get the modified backward. */
  readonly rectifiersOption?: boolean;
}

const RECTIFIERS = {
  type: 'enum',
  default: 'all',
  values: ['all', 'relu'],
  description:
    'Which rectifiers get the modified backward: all (ReLU, ReLU6/Clip, …) or ReLU only (as pytorch-grad-cam and Captum).',
} as const;

/**
 * Builds an input-space method from one backward pass to the input with the given ReLU rule.
 * `raw` is `∂score/∂x` in the model's input layout `[1, …]`; `map` is `attributionMagnitude(raw)`:
 * the largest |value| over channels at each pixel, divided by its maximum, `[H, W]` in [0, 1].
 * With `rectifiersOption`, option `rectifiers: 'relu'` confines the rule to plain ReLUs
 * (`CaptureRequest.rectifiers`); ReLU6 / Clip keep the standard backward.
 */
export function inputGradientMethod(spec: InputGradientSpec): Method<Record<string, string>> {
  return defineMethod<Record<string, string>>({
    id: spec.id,
    title: spec.title,
    description: spec.description,
    space: 'input',
    usesLayers: false,
    requires: spec.requires,
    options: spec.rectifiersOption ? { rectifiers: RECTIFIERS } : {},
    async explain({ model, input, target }, o) {
      if (o.rectifiers === 'relu' && !model.capabilities.has('relu-only-rectifiers'))
        throw new MissingCapabilityError(`${spec.id} (rectifiers: relu)`, model.backend, ['relu-only-rectifiers']);
      const hook = await model.capture(input, {
        layers: [],
        gradients: false,
        inputGradient: true,
        reluMode: spec.reluMode,
        ...(o.rectifiers === 'relu' ? { rectifiers: 'relu' as const } : {}),
        targets: [target],
      });
      try {
        const g = hook.inputGradient;
        if (!g) throw new Error(`backend '${model.backend}' returned no input gradient for method '${spec.id}'`);
        const raw = { data: g.data.slice(), shape: [...g.shape] };
        return { map: attributionMagnitude(raw, model.input.layout), raw, target: hook.targets[0]! };
      } finally {
        hook.dispose();
      }
    },
  });
}
