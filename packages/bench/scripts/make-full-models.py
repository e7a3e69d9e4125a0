"""Full-size torchvision resnet18, mobilenet_v2 and resnet50 (seeded random weights) for `pnpm bench`'s ONNX rows,
and PyTorch's own timings of the same networks as a reference.

Run with Debian's PyTorch (torch 1.13, torchvision 0.14):
    /usr/bin/python3 packages/bench/scripts/make-full-models.py [--out DIR] [--timings-only] [--runs N] [--models a,b]

Writes into DIR (default packages/bench/.models/, never committed: 45 MB + 14 MB + 98 MB):
  <name>.onnx           opset 17, input 'input' [1, 3, 224, 224], output 'logits' [1, 1000]
  torch-timings.json    {"torch": "1.13.x", "threads": 1, "runs": N, "models": {<name>: {
                           "forwardMs":                 median ms of one forward under no_grad,
                           "forwardBackwardMs":         median ms of forward + backward of logit[top-1] to the
                                                        input only (parameters frozen, as a gradient method needs),
                           "forwardBackwardParamsMs":   the same with parameter gradients too (torch's default
                                                        when a model's parameters require grad, e.g. pytorch-grad-cam)
                         }}, "measuredAt": ISO time}
Weights: torch.manual_seed(7); BatchNorm scales drawn from U(0.5, 1.5); BatchNorm statistics from a few
train-mode batches, then eval(). Everything is timed on 1 thread (torch.set_num_threads(1)), median of
`--runs` (at least 5) after 3 warm-up calls. With --timings-only the models are not re-exported when
they exist (timings are re-measured under the current load of the machine).
"""
import argparse
import datetime
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torchvision.models as tvm

SIZE = 224
OPSET = 17
MODELS = {'resnet18': tvm.resnet18, 'mobilenet_v2': tvm.mobilenet_v2, 'resnet50': tvm.resnet50}
DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '.models')


def make(name):
    torch.manual_seed(7)
    model = MODELS[name](num_classes=1000)
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.weight.uniform_(0.5, 1.5)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(4, 3, SIZE, SIZE))
    return model.eval()


def export(model, path):
    x = torch.randn(1, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(1))
    tmp = path + '.tmp'
    torch.onnx.export(model, x, tmp, opset_version=OPSET, input_names=['input'], output_names=['logits'],
                      do_constant_folding=True)
    os.replace(tmp, path)  # a partial file never looks like a model


def median_ms(fn, runs, warmup=3):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(samples), 2)


def time_model(model, runs):
    x = torch.randn(1, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(42))

    def forward():
        with torch.no_grad():
            model(x).numpy()

    def forward_backward():
        xi = x.clone().requires_grad_(True)
        y = model(xi)
        y[0, int(y[0].argmax())].backward()
        xi.grad.numpy()

    for p in model.parameters():
        p.requires_grad_(False)
    fwd = median_ms(forward, runs)
    fwd_bwd = median_ms(forward_backward, runs)
    for p in model.parameters():
        p.requires_grad_(True)
    fwd_bwd_params = median_ms(forward_backward, runs)
    return {'forwardMs': fwd, 'forwardBackwardMs': fwd_bwd, 'forwardBackwardParamsMs': fwd_bwd_params}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default=DEFAULT_OUT)
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--timings-only', action='store_true', help='do not re-export models that exist')
    ap.add_argument('--models', default=','.join(MODELS), help='comma-separated subset of ' + ', '.join(MODELS))
    args = ap.parse_args()
    if args.runs < 5:
        sys.exit('--runs must be at least 5')
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    names = args.models.split(',')
    if any(n not in MODELS for n in names):
        sys.exit('--models: choose from ' + ', '.join(MODELS))
    timings_path = os.path.join(args.out, 'torch-timings.json')
    # keep the timings of models not re-measured this time
    timings = json.load(open(timings_path))['models'] if os.path.exists(timings_path) else {}
    for name in names:
        model = make(name)
        path = os.path.join(args.out, name + '.onnx')
        if not (args.timings_only and os.path.exists(path)):
            print(f'make-full-models: exporting {path}', file=sys.stderr)
            export(model, path)
        timings[name] = time_model(model, args.runs)
        print(f'make-full-models: torch {name} {json.dumps(timings[name])}', file=sys.stderr)
    with open(timings_path, 'w') as f:
        json.dump({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'runs': args.runs, 'size': SIZE,
                   'models': timings, 'measuredAt': datetime.datetime.utcnow().isoformat(timespec='seconds') + 'Z'},
                  f, indent=2)


if __name__ == '__main__':
    main()
