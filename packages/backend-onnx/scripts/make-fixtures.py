"""Width-reduced torchvision classifiers exported to ONNX, with torch-autograd goldens.

Run with Debian's PyTorch (torch 1.13, torchvision 0.14): /usr/bin/python3 scripts/make-fixtures.py
Writes test/fixtures/<name>/ : model.onnx, input.npy, logits.npy, act.npy and grad.npy (the target
layer's output and d logit[class] / d output), gradcam.npy (Grad-CAM at input resolution, computed as
in /work/shared/PARITY.md), saliency.npy, guided.npy, deconvnet.npy (input gradients with standard,
guided and deconvnet ReLU backward rules; ReLU6 counts as a ReLU), meta.json.
Weights are seeded; BatchNorm statistics come from a few train-mode batches before eval().
Pass fixture names to regenerate only those: /usr/bin/python3 scripts/make-fixtures.py resnet50
`--gradcam-only` recomputes gradcam.npy from the committed act.npy and grad.npy without re-exporting.
"""
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.models as tvm
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet
from torchvision.models.squeezenet import Fire
from torchvision.models.efficientnet import MBConvConfig
from torchvision.models.convnext import CNBlockConfig
from torchvision.models.googlenet import BasicConv2d, GoogLeNet, Inception
from torchvision.models.regnet import BlockParams
from torchvision.models.mobilenetv3 import InvertedResidualConfig, _mobilenet_v3_conf
from torchvision.ops.misc import Conv2dNormActivation

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')
SIZE = 64
CLASSES = 10


class NarrowResNet(ResNet):
    """torchvision's ResNet-18 (or, with Bottleneck and [3, 4, 6, 3], ResNet-50; same module names) with widths w instead of 64..512."""

    def __init__(self, w, block=BasicBlock, layers=(2, 2, 2, 2)):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes, self.dilation, self.groups, self.base_width = w[0], 1, 1, 64
        self.conv1 = nn.Conv2d(3, w[0], kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(w[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, w[0], layers[0])
        self.layer2 = self._make_layer(block, w[1], layers[1], stride=2)
        self.layer3 = self._make_layer(block, w[2], layers[2], stride=2)
        self.layer4 = self._make_layer(block, w[3], layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(w[3] * block.expansion, CLASSES)


def resnet18():
    return NarrowResNet([8, 16, 32, 64]), 'layer4', 11


def resnet18_nofold():
    m, layer, _ = resnet18()
    # Eval-mode model exported with TrainingMode.PRESERVE: torch 1.13 then skips its Conv+BN fusion pass, so all
    # 20 BNs stay inference BatchNormalization nodes (do_constant_folding=False alone still fuses them: 0 BN nodes).
    return m, layer, 13, {'training': torch.onnx.TrainingMode.PRESERVE, 'do_constant_folding': False}


def resnet50():
    return NarrowResNet([4, 8, 16, 32], Bottleneck, (3, 4, 6, 3)), 'layer4', 15


def mobilenet_v2():
    setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 2, 2], [6, 64, 2, 2], [6, 96, 1, 1], [6, 160, 1, 2], [6, 320, 1, 1]]
    m = tvm.MobileNetV2(num_classes=CLASSES, width_mult=0.25, inverted_residual_setting=setting)
    cin = m.features[-1][0].in_channels
    m.features[-1] = Conv2dNormActivation(cin, 96, kernel_size=1, norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU6)
    m.classifier[1] = nn.Linear(96, CLASSES)
    return m, 'features', 17


def vgg():
    cfg = [8, 'M', 16, 'M', 32, 32, 'M', 64, 64, 'M']
    m = tvm.VGG(tvm.vgg.make_layers(cfg, batch_norm=True), num_classes=CLASSES)
    m.avgpool = nn.AdaptiveAvgPool2d((2, 2))
    m.classifier = nn.Sequential(nn.Linear(64 * 4, 32), nn.ReLU(True), nn.Dropout(), nn.Linear(32, CLASSES))
    return m, 'features', 13


class NarrowSqueezeNet(nn.Module):
    """torchvision SqueezeNet 1.1 layout (ceil-mode max pools, Fire modules, Concat) at a fraction of the width."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, kernel_size=3, stride=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            Fire(16, 4, 8, 8), Fire(16, 4, 8, 8),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            Fire(16, 8, 16, 16), Fire(32, 8, 16, 16),
        )
        self.classifier = nn.Sequential(nn.Dropout(p=0.5), nn.Conv2d(32, CLASSES, kernel_size=1), nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d((1, 1)))

    def forward(self, x):
        return torch.flatten(self.classifier(self.features(x)), 1)


def squeezenet():
    return NarrowSqueezeNet(), 'features', 13


def densenet():
    # 'features' ends in an in-place F.relu that rewrites the hooked tensor in torch; hook the last block instead.
    return tvm.DenseNet(growth_rate=4, block_config=(2, 2, 2, 2), num_init_features=8, bn_size=2, num_classes=CLASSES), 'features.denseblock4', 13


def efficientnet():
    s = [MBConvConfig(1, 3, 1, 32, 16, 1, 0.25, 1.0), MBConvConfig(6, 3, 2, 16, 24, 2, 0.25, 1.0),
         MBConvConfig(6, 5, 2, 24, 40, 1, 0.25, 1.0), MBConvConfig(6, 3, 2, 40, 80, 1, 0.25, 1.0)]
    return tvm.EfficientNet(s, dropout=0.2, num_classes=CLASSES, last_channel=64), 'features', 13


def mobilenet_v3():
    c = lambda *a: InvertedResidualConfig(*a, width_mult=0.25)
    s = [c(16, 3, 16, 16, True, 'RE', 2, 1), c(16, 3, 72, 24, False, 'RE', 2, 1), c(24, 5, 96, 40, True, 'HS', 2, 1), c(40, 5, 240, 48, True, 'HS', 1, 1)]
    return with_default_head(tvm.MobileNetV3(s, last_channel=64, num_classes=CLASSES)), 'features', 14


def with_default_head(m):
    # torchvision draws the head from N(0, 0.01²), which leaves logits near 1e-4; nn.Linear's default init gives ~0.1.
    for lin in m.classifier:
        if isinstance(lin, nn.Linear):
            lin.reset_parameters()
    return m


def narrow_mobilenet_v3(arch, width):
    """torchvision's mobilenet_v3_small / _large block list (Hardswish, Hardsigmoid SE) at a width multiplier, last_channel 64."""
    s, _ = _mobilenet_v3_conf(arch, width_mult=width)
    return with_default_head(tvm.MobileNetV3(s, last_channel=64, num_classes=CLASSES))


def mobilenet_v3_small():
    return narrow_mobilenet_v3('mobilenet_v3_small', 0.25), 'features', 12  # Hardswish as x·HardSigmoid(x)


def mobilenet_v3_large():
    return narrow_mobilenet_v3('mobilenet_v3_large', 0.15), 'features', 16


def convnext():
    s = [CNBlockConfig(8, 16, 1), CNBlockConfig(16, 32, 1), CNBlockConfig(32, None, 1)]
    return tvm.ConvNeXt(s, layer_scale=0.5, num_classes=CLASSES), 'features', 13


def convnext_op17():
    m, layer, _ = convnext()
    return m, layer, 17  # LayerNorm exported as LayerNormalization


def shufflenet():
    return tvm.ShuffleNetV2([2, 2, 2], [8, 16, 32, 64, 64], num_classes=CLASSES), 'conv5', 13


def shufflenet_op11():
    m, layer, _ = shufflenet()
    return m, layer, 11  # MaxPool forces the opset-16 upgrade; Unsqueeze/Slice in their opset-11 forms


class NarrowGoogLeNet(GoogLeNet):
    """torchvision GoogLeNet (same module names, transform_input on) with every width divided by 8."""

    def __init__(self):
        nn.Module.__init__(self)
        self.aux_logits, self.transform_input = False, True
        self.aux1 = self.aux2 = None
        w = lambda *a: [v // 8 for v in a]
        self.conv1 = BasicConv2d(3, 8, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(8, 8, kernel_size=1)
        self.conv3 = BasicConv2d(8, 24, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = Inception(*w(192, 64, 96, 128, 16, 32, 32))
        self.inception3b = Inception(*w(256, 128, 128, 192, 32, 96, 64))
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = Inception(*w(480, 192, 96, 208, 16, 48, 64))
        self.inception4b = Inception(*w(512, 160, 112, 224, 24, 64, 64))
        self.inception4c = Inception(*w(512, 128, 128, 256, 24, 64, 64))
        self.inception4d = Inception(*w(512, 112, 144, 288, 32, 64, 64))
        self.inception4e = Inception(*w(528, 256, 160, 320, 32, 128, 128))
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
        self.inception5a = Inception(*w(832, 256, 160, 320, 32, 128, 128))
        self.inception5b = Inception(*w(832, 384, 192, 384, 48, 128, 128))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=0.2)
        self.fc = nn.Linear(128, CLASSES)


def googlenet():
    return NarrowGoogLeNet(), 'inception5b', 13


def regnet():
    params = BlockParams.from_init_params(depth=4, w_0=8, w_a=8.0, w_m=2.0, group_width=8, se_ratio=0.25)
    return tvm.RegNet(params, num_classes=CLASSES, stem_width=8), 'trunk_output', 13


MODELS = {'resnet18': resnet18, 'mobilenet_v2': mobilenet_v2, 'vgg': vgg, 'squeezenet': squeezenet,
          'densenet': densenet, 'efficientnet': efficientnet, 'mobilenet_v3': mobilenet_v3,
          'convnext': convnext, 'convnext_op17': convnext_op17, 'shufflenet': shufflenet, 'shufflenet_op11': shufflenet_op11, 'googlenet': googlenet,
          'regnet': regnet, 'resnet50': resnet50, 'mobilenet_v3_small': mobilenet_v3_small,
          'mobilenet_v3_large': mobilenet_v3_large, 'resnet18_nofold': resnet18_nofold}


class ModeReLU(torch.autograd.Function):
    """clamp(x, 0, hi) whose backward follows MODE: guided g·[0<x<hi]·[g>0], deconvnet relu(g)."""
    mode = 'standard'

    @staticmethod
    def forward(ctx, x, hi):
        ctx.save_for_backward(x)
        ctx.hi = hi
        return x.clamp(0, hi) if hi is not None else x.clamp(min=0)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        if ModeReLU.mode == 'guided':
            m = (x > 0) & (g > 0)
            if ctx.hi is not None:
                m = m & (x < ctx.hi)
        else:
            m = g > 0
        return g * m.to(g.dtype), None


class relu_mode:
    """Patches F.relu / F.hardtanh(0, hi) (nn.ReLU, nn.ReLU6 and functional calls) for one backward rule."""

    def __init__(self, mode):
        self.mode = mode

    def __enter__(self):
        self.relu, self.hardtanh = F.relu, F.hardtanh
        if self.mode == 'standard':
            return
        ModeReLU.mode = self.mode
        ht0 = self.hardtanh
        F.relu = lambda x, inplace=False: ModeReLU.apply(x, None)
        F.hardtanh = lambda x, min_val=-1.0, max_val=1.0, inplace=False: ModeReLU.apply(x, max_val) if min_val == 0 else ht0(x, min_val, max_val)

    def __exit__(self, *a):
        F.relu, F.hardtanh = self.relu, self.hardtanh


def warm_bn(m, n=4):
    m.train()
    with torch.no_grad():
        for _ in range(n):
            m(torch.randn(8, 3, SIZE, SIZE))
    m.eval()
    return m


def bilinear(cam, size):
    t = torch.from_numpy(cam)[None, None]
    return F.interpolate(t, size=size, mode='bilinear', align_corners=False)[0, 0].numpy()


def gradcam(a, g):
    w = g.mean(axis=(1, 2))
    cam = np.maximum((w[:, None, None] * a).sum(0), 0)
    cam = cam - cam.min()
    cam = cam / (1e-7 + cam.max())
    cam = bilinear(cam.astype(np.float32), (SIZE, SIZE))
    # pytorch-grad-cam's aggregate_multi_layers runs for one layer too: ReLU, mean over one layer, and
    # min-max scaling again after the resize (bilinear interpolation moved the min and max)
    cam = np.maximum(cam, 0)
    cam = cam - cam.min()
    return cam / (1e-7 + cam.max())


def remake_gradcam(name):
    """Recomputes gradcam.npy from the committed torch activation and gradient (act.npy, grad.npy)."""
    d = os.path.join(OUT, name)
    save(d, 'gradcam.npy', gradcam(np.load(os.path.join(d, 'act.npy')), np.load(os.path.join(d, 'grad.npy'))))
    print(name, 'gradcam.npy rewritten')


def save(d, name, arr):
    np.save(os.path.join(d, name), np.ascontiguousarray(arr, dtype=np.float32))


def make(name):
    torch.manual_seed(7)
    model, layer, opset, *extra = MODELS[name]()
    export_options = extra[0] if extra else {}
    # Give BN scales and biases spread so that masks and weights are not trivial.
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, (nn.BatchNorm2d, nn.LayerNorm)) and mod.weight is not None:
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.2, 0.2)
    warm_bn(model)
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    x = torch.randn(1, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(1))
    torch.onnx.export(model, x, os.path.join(d, 'model.onnx'), opset_version=opset, input_names=['input'],
                      output_names=['logits'], dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}},
                      **{'do_constant_folding': True, **export_options})
    save(d, 'input.npy', x.numpy())
    store = {}
    mod = dict(model.named_modules())[layer]

    def hook(m, i, o):
        o.retain_grad()
        store['a'] = o

    h = mod.register_forward_hook(hook)
    meta = {'layer': layer, 'opset': opset, 'size': SIZE}
    if export_options:
        nodes = onnx.load(os.path.join(d, 'model.onnx')).graph.node
        meta['export'] = {k: str(v) for k, v in export_options.items()}
        meta['batchNormNodes'] = sum(n.op_type == 'BatchNormalization' for n in nodes)
    for mode, fname in [('standard', 'saliency.npy'), ('guided', 'guided.npy'), ('deconvnet', 'deconvnet.npy')]:
        with relu_mode(mode):
            xi = x.clone().requires_grad_(True)
            logits = model(xi)
            cls = int(logits[0].argmax())
            logits[0, cls].backward()
        save(d, fname, xi.grad[0].numpy())
        if mode == 'standard':
            a, g = store['a'].detach()[0].numpy(), store['a'].grad[0].numpy()
            save(d, 'logits.npy', logits.detach().numpy())
            save(d, 'act.npy', a)
            save(d, 'grad.npy', g)
            save(d, 'gradcam.npy', gradcam(a, g))
            meta['class'] = cls
            meta['actShape'] = list(a.shape)
    h.remove()
    meta['params'] = sum(p.numel() for p in model.parameters())
    json.dump(meta, open(os.path.join(d, 'meta.json'), 'w'), indent=1)
    print(name, json.dumps(meta), os.path.getsize(os.path.join(d, 'model.onnx')), 'bytes')


if __name__ == '__main__':
    torch.set_num_threads(1)
    args = [a for a in sys.argv[1:] if a != '--gradcam-only']
    for n in (args or MODELS):
        remake_gradcam(n) if '--gradcam-only' in sys.argv else make(n)
