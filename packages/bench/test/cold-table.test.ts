import { describe, expect, it } from 'vitest';
import { formatCliColdTable, formatColdTable, type ColdRun } from '../src/cold-table.js';

const phase = (p: string, ms: number, create = 0, run = 0) => ({
  phase: p,
  ms,
  sessionCreateMs: create,
  sessionRunMs: run,
  rssMb: 100,
});

describe('formatColdTable', () => {
  it('prints each phase with its onnxruntime share, the total to the first explanation, the peak RSS and the CLI cold run', () => {
    const run: ColdRun = {
      model: '/x/.models/resnet50.onnx',
      methods: 'gradcam,saliency',
      mode: 'many',
      phases: [
        phase('boot', 40),
        phase('import', 300),
        phase('load', 1000, 500, 250),
        phase('forward', 200, 150, 40),
        phase('explain', 900, 600, 100),
        phase('explain again', 120, 0, 100),
      ],
      runsSecond: 1,
      peakRssMb: 812.4,
    };
    const lines = formatColdTable([run]).split('\n');
    expect(lines[0]).toBe(
      '| model | methods | mode | boot | import | load | forward | explain | explain again | total to first explanation | warm runs | peak RSS | CLI explain wall | CLI peak RSS |',
    );
    expect(lines[2]).toBe(
      '| resnet50.onnx | gradcam,saliency | many | 40.0 ms | 300 ms | 1000 ms (create 500, run 250) | 200 ms (create 150, run 40.0) | 900 ms (create 600, run 100) | 120 ms (create 0.0, run 100) | 2440 ms | 1 | 812 MB | — | — |',
    );
    const withCli = formatColdTable([{ ...run, cli: { wallMs: 1104.4, peakRssMb: 493.6 } }]).split('\n');
    expect(withCli[2]).toMatch(/ \| 812 MB \| 1104 ms \| 494 MB \|$/);
  });
});

describe('formatCliColdTable', () => {
  it('prints one row per CLI cold run: model, backend, methods, wall and peak RSS', () => {
    const lines = formatCliColdTable([
      {
        model: 'nsfwjs MobileNetV2',
        backend: 'tfjs-wasm',
        methods: 'gradcam',
        cli: { wallMs: 3150.2, peakRssMb: 181.6 },
      },
    ]).split('\n');
    expect(lines).toEqual([
      '| model | backend | methods | CLI explain wall | CLI peak RSS |',
      '|---|---|---|---|---|',
      '| nsfwjs MobileNetV2 | tfjs-wasm | gradcam | 3150 ms | 182 MB |',
    ]);
  });
});
