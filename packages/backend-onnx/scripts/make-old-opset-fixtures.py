"""A small CNN exported at ONNX opsets 7, 8, 9 and 10, with torch-autograd goldens (issue 10, item 6).

Run with Debian's PyTorch (torch 1.13): /usr/bin/python3 scripts/make-old-opset-fixtures.py
Writes test/fixtures/old_opset<N>/ with the same files as scripts/make-fixtures.py (model.onnx,
input.npy, logits.npy, act.npy, grad.npy, gradcam.npy, saliency.npy, guided.npy, deconvnet.npy,
meta.json); the goldens are the same torch computation for every opset, only the export differs.

The net has BatchNorm, ReLU, MaxPool, a constant Pad (value 0.5), ReLU6, nearest Upsample ×2, a crop
(Slice), AvgPool, Flatten, Dropout (eval) and Linear (Gemm). What torch 1.13 emits for it:
- BatchNormalization stays a node only with TrainingMode.PRESERVE (eval-mode export folds it into
  the Conv); at every opset it has epsilon/momentum attributes (no `spatial`, no `consumed_inputs`).
- Dropout in eval mode is never exported (no node at any opset).
- Opsets 7/8: Upsample-7 (`scales` attribute), Slice-1, Pad-2 and Clip-6 (attributes). The exporter
  refuses dynamic axes there ('NoneType' object is not subscriptable) and `nn.Upsample(scale_factor=2)`
  ("upsample_nearest2d, torch._C.Value (output_size) indexing"), so the input is static [1, 3, 64, 64]
  and the Upsample has a constant size (`size=(32, 32)`; at opsets 9/10 a constant size with dynamic
  axes fails the same way, so there it is `scale_factor=2`, the same function).
- Opset 9: Upsample-9 (scales input), Slice-1, Pad-2, Clip-6; dynamic batch.
- Opset 10: Resize-10 (nearest, asymmetric), Slice-10 (inputs), Pad-2, Clip-6, MaxPool/AveragePool
  with ceil_mode; dynamic batch.
"""
import importlib.util
import json
import os

import onnx
import torch
import torch.nn as nn

_spec = importlib.util.spec_from_file_location('fixtures', os.path.join(os.path.dirname(__file__), 'make-fixtures.py'))
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)

OPSETS = (7, 8, 9, 10)
LAYER = 'mid'


class Crop(nn.Module):
    """x[:, :, 1:-1, 1:-1] (a Slice node)."""

    def forward(self, x):
        return x[:, :, 1:-1, 1:-1]


class OldOpsetNet(nn.Module):
    def __init__(self, opset):
        super().__init__()
        s = fx.SIZE
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2))
        self.mid = nn.Sequential(nn.ConstantPad2d(1, 0.5), nn.Conv2d(8, 16, 3, stride=2), nn.BatchNorm2d(16), nn.ReLU6())
        # opsets 7/8 need a constant output size; opsets 9/10 need scale_factor with a dynamic batch
        self.up = nn.Upsample(scale_factor=2, mode='nearest') if opset >= 9 else nn.Upsample(size=(s // 2, s // 2))
        self.crop = Crop()
        self.tail = nn.Sequential(nn.Conv2d(16, 16, 3, stride=2), nn.ReLU(), nn.AvgPool2d(2))
        self.flatten = nn.Flatten()
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(16 * 7 * 7, fx.CLASSES)

    def forward(self, x):
        return self.fc(self.drop(self.flatten(self.tail(self.crop(self.up(self.mid(self.stem(x))))))))


def model(opset):
    torch.manual_seed(7)
    m = OldOpsetNet(opset)
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.2, 0.2)
    return fx.warm_bn(m)


def goldens(m, x, d):
    """The torch goldens (one computation for every opset): logits, the layer's activation and gradient, maps."""
    store = {}

    def hook(_m, _i, o):
        o.retain_grad()
        store['a'] = o

    h = dict(m.named_modules())[LAYER].register_forward_hook(hook)
    meta = {}
    for mode, fname in [('standard', 'saliency.npy'), ('guided', 'guided.npy'), ('deconvnet', 'deconvnet.npy')]:
        with fx.relu_mode(mode):
            xi = x.clone().requires_grad_(True)
            logits = m(xi)
            cls = int(logits[0].argmax())
            logits[0, cls].backward()
        fx.save(d, fname, xi.grad[0].numpy())
        if mode == 'standard':
            a, g = store['a'].detach()[0].numpy(), store['a'].grad[0].numpy()
            fx.save(d, 'logits.npy', logits.detach().numpy())
            fx.save(d, 'act.npy', a)
            fx.save(d, 'grad.npy', g)
            fx.save(d, 'gradcam.npy', fx.gradcam(a, g))
            meta = {'class': cls, 'actShape': list(a.shape)}
    h.remove()
    return meta


def make(opset):
    m = model(opset)
    d = os.path.join(fx.OUT, f'old_opset{opset}')
    os.makedirs(d, exist_ok=True)
    x = torch.randn(1, 3, fx.SIZE, fx.SIZE, generator=torch.Generator().manual_seed(1))
    dynamic = {'dynamic_axes': {'input': {0: 'N'}, 'logits': {0: 'N'}}} if opset >= 9 else {}
    path = os.path.join(d, 'model.onnx')
    torch.onnx.export(m, x, path, opset_version=opset, input_names=['input'], output_names=['logits'],
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False, **dynamic)
    fx.save(d, 'input.npy', x.numpy())
    meta = {'layer': LAYER, 'opset': opset, 'size': fx.SIZE, **goldens(m, x, d)}
    meta['ops'] = sorted({n.op_type for n in onnx.load(path).graph.node})
    meta['params'] = sum(p.numel() for p in m.parameters())
    json.dump(meta, open(os.path.join(d, 'meta.json'), 'w'), indent=1)
    print(f'old_opset{opset}', json.dumps(meta), os.path.getsize(path), 'bytes')


class BilinearNet(nn.Module):
    """Conv → bilinear ×2 → Conv → global pool → Linear: torch 1.13 exports the resize at opset 9 as Upsample(mode=linear)."""

    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(3, 4, 3, padding=1), nn.Conv2d(4, 4, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)
        self.pool, self.fc = nn.AdaptiveAvgPool2d(1), nn.Linear(4, fx.CLASSES)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.conv2(self.up(torch.relu(self.conv1(x))))), 1))


def make_bilinear():
    """old_opset9_bilinear/model.onnx only (no goldens): an old form gradscope has no gradient for (errors tests)."""
    torch.manual_seed(7)
    d = os.path.join(fx.OUT, 'old_opset9_bilinear')
    os.makedirs(d, exist_ok=True)
    x = torch.randn(1, 3, 16, 16)
    torch.onnx.export(BilinearNet().eval(), x, os.path.join(d, 'model.onnx'), opset_version=9, input_names=['input'],
                      output_names=['logits'], dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}})
    print('old_opset9_bilinear', sorted({n.op_type for n in onnx.load(os.path.join(d, 'model.onnx')).graph.node}))


if __name__ == '__main__':
    torch.set_num_threads(1)
    for o in OPSETS:
        make(o)
    make_bilinear()
