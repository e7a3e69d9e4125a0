"""Issue 9's bench reference: a seeded torchvision ResNet-50 exported with a dynamic batch axis, and torch's
time for Score-CAM's masked forwards (the work pytorch-grad-cam's ScoreCAM does: batches of 32 masked
inputs through the whole network, under no_grad).

    /usr/bin/python3 packages/bench/scripts/perturb-torch.py --out DIR [--threads 2] [--masked 256]

Writes DIR/resnet50-dyn.onnx (opset 17, input 'input' [N, 3, 224, 224]) unless it exists, and prints JSON
{"forwardMs": median ms of one forward, "maskedMs": ms of `masked` masked forwards in batches of 32,
 "masked": n, "threads": t, "torch": version}.
"""
import argparse
import json
import os
import statistics
import time

import torch
import torch.nn as nn
import torchvision.models as tvm


def make():
    torch.manual_seed(7)
    m = tvm.resnet50(num_classes=1000)
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.weight.uniform_(0.5, 1.5)
    m.train()
    with torch.no_grad():
        for _ in range(2):
            m(torch.randn(2, 3, 224, 224))
    return m.eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--masked', type=int, default=256)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    m = make()
    path = os.path.join(a.out, 'resnet50-dyn.onnx')
    os.makedirs(a.out, exist_ok=True)
    x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(1))
    if not os.path.exists(path):
        torch.onnx.export(m, x, path + '.tmp', opset_version=17, input_names=['input'], output_names=['logits'],
                          dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}}, do_constant_folding=True)
        os.replace(path + '.tmp', path)
    with torch.no_grad():
        for _ in range(2):
            m(x)
        fw = []
        for _ in range(5):
            t = time.perf_counter()
            m(x)
            fw.append((time.perf_counter() - t) * 1000)
        # Score-CAM's work: layer4 activations → per-channel upsampled, min-max masks → x ⊙ mask, batches of 32
        t = time.perf_counter()
        feats = {}
        h = m.layer4.register_forward_hook(lambda _m, _i, o: feats.__setitem__('a', o))
        m(x)
        h.remove()
        up = nn.UpsamplingBilinear2d(size=(224, 224))(feats['a'][:, :a.masked])
        flat = up.view(1, up.shape[1], -1)
        mx, mn = flat.max(-1)[0][:, :, None, None], flat.min(-1)[0][:, :, None, None]
        up = (up - mn) / (mx - mn + 1e-8)
        inputs = (x[:, None] * up[:, :, None])[0]
        for i in range(0, a.masked, 32):
            m(inputs[i:i + 32])
        masked = (time.perf_counter() - t) * 1000
    print(json.dumps({'forwardMs': statistics.median(fw), 'maskedMs': masked, 'masked': a.masked,
                      'threads': a.threads, 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
