#!/usr/bin/env node
import { isGradscopeError } from '@gradscope/core';
import { convertModelFile } from './node.js';

const USAGE = 'usage: tfjs-to-onnx <model.json> <out.onnx> [--keep-final-activation]';

/** `tfjs-to-onnx <model.json> <out.onnx>`: converts a tfjs LayersModel to an NCHW ONNX model. */
async function main(argv: readonly string[]): Promise<number> {
  const flags = argv.filter((a) => a.startsWith('--'));
  const args = argv.filter((a) => !a.startsWith('--'));
  if (flags.includes('--help') || flags.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = flags.filter((f) => f !== '--keep-final-activation');
  if (args.length !== 2 || unknown.length) {
    console.error(unknown.length ? `unknown option ${unknown[0]}\n${USAGE}` : USAGE);
    return 2;
  }
  const [input, output] = args as [string, string];
  try {
    const r = await convertModelFile(input, output, { keepFinalActivation: flags.includes('--keep-final-activation') });
    console.log(
      `wrote ${output}: input '${r.input.name}' [${r.input.shape.map((d) => d ?? 'N').join(', ')}] (NCHW), output '${r.output.name}' [${r.output.shape.map((d) => d ?? 'N').join(', ')}], ${r.layers.length} layers`,
    );
    if (r.droppedActivation)
      console.log(`note: the final ${r.droppedActivation} was left out; the ONNX model outputs logits`);
    return 0;
  } catch (e) {
    console.error(`tfjs-to-onnx: ${isGradscopeError(e) ? e.message : ((e as Error).stack ?? String(e))}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
