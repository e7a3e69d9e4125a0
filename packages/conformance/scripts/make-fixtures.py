#!/usr/bin/python3
"""Regenerates the conformance fixtures (`tiny-cnn`, `tiny-mobile`) with PyTorch, the independent reference.

Only needed to REGENERATE the committed fixtures, never in CI. Run with Debian's Python
(torch 1.13, onnx, python3-opencv), optionally naming the fixtures to rebuild:

    /usr/bin/python3 packages/conformance/scripts/make-fixtures.py [tiny-cnn] [tiny-mobile]

then `node packages/conformance/scripts/make-tfjs-fixture.mjs` (or `pnpm --filter
@gradscope/conformance fixtures` for both). Writes under packages/conformance/fixtures/<name>/:
  manifest.json        layers (torch / tfjs / onnx names, aliases), inputs, targets, captures,
                       golden method cases, tolerances, every array's shape
  model.onnx           the same network for ONNX backends (opset 13, constant folding, scoped node names)
  weights/*.npy        raw torch parameters, read by make-tfjs-fixture.mjs to build the tfjs copy
  inputs/*.npy, golden/**.npy   float32, NCHW exactly as torch produces them

The reference follows /work/shared/PARITY.md literally and reproduces pytorch-grad-cam's pipeline
(forward hook on the target layer, backward from the target score, channel weights, weighted sum,
ReLU, min-max scale with 1e-7, cv2.resize INTER_LINEAR, then aggregate_multi_layers — ReLU, mean over
layers, min-max again — for one layer as for several) without importing
pytorch-grad-cam. Guided backprop / deconvnet replace nn.ReLU modules with custom autograd ReLUs
(as pytorch-grad-cam does) and, by gradscope's rule, nn.ReLU6 modules with custom autograd ReLU6s
(guided g·[0<x<6]·[g>0], deconvnet relu(g)); torch's MaxPool routes tied gradients to the first maximum.
"""
import json
import os
import shutil
import sys

import cv2
import numpy as np
import torch
import torch.nn as nn

import perturb_references as pr

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'fixtures')
NUM_CLASSES = 5
H = W = 32


# ---------------------------------------------------------------------------------------------
# The network
# ---------------------------------------------------------------------------------------------
class Block(nn.Module):
    """conv-BN-ReLU-conv-BN + identity, then ReLU (a ResNet basic block)."""

    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)
        self.relu = nn.ReLU()

    def forward(self, x):
        y = self.bn2(self.conv2(self.relu1(self.bn1(self.conv1(x)))))
        return self.relu(y + x)


class TinyCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.block = Block(16)
        self.conv3 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.relu3 = nn.ReLU()
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, NUM_CLASSES)

    def forward(self, x):
        x = self.pool(self.relu1(self.bn1(self.conv1(x))))
        x = self.block(self.relu2(self.conv2(x)))
        x = self.relu3(self.conv3(x))
        return self.fc(torch.flatten(self.gap(x), 1))


class CBA(nn.Module):
    """conv (no bias) + BN + optional ReLU6, MobileNet style."""

    def __init__(self, cin, cout, k, stride=1, groups=1, act=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, padding=k // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = nn.ReLU6() if act else nn.Identity()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class InvertedResidual(nn.Module):
    """1×1 expand (ReLU6) → 3×3 depthwise (ReLU6) → 1×1 linear projection, plus identity."""

    def __init__(self, c, e):
        super().__init__()
        self.expand = CBA(c, e, 1)
        self.dw = CBA(e, e, 3, groups=e)
        self.project = CBA(e, c, 1, act=False)

    def forward(self, x):
        return x + self.project(self.dw(self.expand(x)))


class TinyMobile(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = CBA(3, 16, 3, stride=2)
        self.block = InvertedResidual(16, 32)
        self.down = CBA(16, 16, 3, stride=2, groups=16)
        self.head = CBA(16, 32, 1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, NUM_CLASSES)

    def forward(self, x):
        x = self.head(self.down(self.block(self.stem(x))))
        return self.fc(torch.flatten(self.gap(x), 1))


def seeded(ctor, bn_scale=1.0):
    """Seeded weights, non-trivial BN affine parameters, BN statistics warmed, logits centred."""
    torch.manual_seed(0)
    m = ctor()
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.weight.copy_(bn_scale * (0.5 + torch.rand(mod.weight.shape, generator=g)))
                mod.bias.copy_(0.1 * torch.randn(mod.bias.shape, generator=g))
                mod.momentum = None  # cumulative average while warming
    with torch.no_grad():  # larger logits than the default init, so classes differ between inputs
        m.fc.weight.mul_(12.0)
        m.fc.bias.mul_(0.1)
    m.train()
    with torch.no_grad():
        for _ in range(8):
            m(torch.randn(16, 3, H, W, generator=g))
    m.eval()
    with torch.no_grad():  # centre the logits so the top-1 class depends on the input
        pooled = []
        h = m.gap.register_forward_hook(lambda _m, _i, out: pooled.append(out))
        m(torch.randn(64, 3, H, W, generator=g))
        h.remove()
        m.fc.bias.copy_(-m.fc.weight @ pooled[0].flatten(1).mean(0))
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d):
            mod.momentum = 0.1
    return m


# What each fixture is.
# modules:    logical layer names (torch module paths); the tfjs copy names each layer with dots
#             replaced by underscores (plus helper layers such as `conv3_pad`).
# layers:     logical layers with goldens; the last one is the globally pooled one (classic CAM).
# folded:     BN modules torch folds into the preceding conv on ONNX export (that conv node outputs the BN's value).
# relu_modes: ReLU rules with goldens besides the standard one (guided/deconvnet, on nn.ReLU and nn.ReLU6).
# plan:       the targets each input is explained for ('class' = the fixture's class_index).
SPECS = {
    'tiny-cnn': dict(
        make=lambda: seeded(TinyCNN),
        description='conv3x3(3→8)+BN+ReLU → MaxPool2 → conv3x3(8→16)+ReLU → residual block (conv-BN-ReLU-conv-BN + identity, ReLU) → conv3x3/2(16→32)+ReLU → GAP → Linear(32→5); seeded weights, BN warmed, eval mode',
        modules=['conv1', 'bn1', 'relu1', 'pool', 'conv2', 'relu2', 'block.conv1', 'block.bn1', 'block.relu1',
                 'block.conv2', 'block.bn2', 'block.relu', 'conv3', 'relu3', 'gap', 'fc'],
        layers=['block.relu', 'relu3'],
        folded={'bn1': 'conv1', 'block.bn1': 'block.conv1', 'block.bn2': 'block.conv2'},
        relu_modes=['guided', 'deconvnet'],
        class_index=2,
        plan={'x0': ['top1', 'class', 'softmax', 'counterfactual', 'seed'], 'x1': ['top1', 'class'], 'x2': ['top1']},
        extras=True,
    ),
    'tiny-mobile': dict(
        make=lambda: seeded(TinyMobile, bn_scale=3.0),
        description='conv3x3/2(3→16)+BN+ReLU6 → inverted residual (1x1 16→32 +BN+ReLU6, depthwise 3x3 +BN+ReLU6, 1x1 32→16 +BN, + identity) → depthwise 3x3/2 +BN+ReLU6 → 1x1 16→32 +BN+ReLU6 → GAP → Linear(32→5); seeded weights, large BN scales so ReLU6 clips, BN warmed, eval mode',
        modules=['stem.conv', 'stem.bn', 'stem.act', 'block.expand.conv', 'block.expand.bn', 'block.expand.act',
                 'block.dw.conv', 'block.dw.bn', 'block.dw.act', 'block.project.conv', 'block.project.bn', 'block',
                 'down.conv', 'down.bn', 'down.act', 'head.conv', 'head.bn', 'head.act', 'gap', 'fc'],
        layers=['block', 'head.act'],
        folded={'stem.bn': 'stem.conv', 'block.expand.bn': 'block.expand.conv', 'block.dw.bn': 'block.dw.conv',
                'block.project.bn': 'block.project.conv', 'down.bn': 'down.conv', 'head.bn': 'head.conv'},
        relu_modes=['guided', 'deconvnet'],
        class_index=1,
        plan={'x0': ['top1', 'class', 'counterfactual'], 'x1': ['top1'], 'x2': ['top1']},
        extras=False,
    ),
}


# ---------------------------------------------------------------------------------------------
# ReLU backward rules (guided backprop, deconvnet) as pytorch-grad-cam does: replace nn.ReLU modules.
# gradscope applies the same rules to ReLU6 (Clip(0, 6)); pytorch-grad-cam swaps nn.ReLU only, so
# its ReLU6 networks would keep the standard backward there. With u = the forward input:
#   standard  g·[0<u<6]      guided  g·[0<u<6]·[g>0]      deconvnet  relu(g) (u ignored)
# ---------------------------------------------------------------------------------------------
class _GuidedReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x > 0).to(g.dtype) * (g > 0).to(g.dtype)


class _DeconvReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, g):
        return g.clamp(min=0)


class _GuidedReLU6(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(0, 6)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * ((x > 0) & (x < 6)).to(g.dtype) * (g > 0).to(g.dtype)


class _DeconvReLU6(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clamp(0, 6)

    @staticmethod
    def backward(ctx, g):
        return g.clamp(min=0)


class ModeReLU(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn.apply(x)


# mode -> {module class -> the autograd function that replaces it (exact class match: nn.ReLU6 is a Hardtanh)}
RELU_RULES = {
    'guided': {nn.ReLU6: _GuidedReLU6, nn.ReLU: _GuidedReLU},
    'deconvnet': {nn.ReLU6: _DeconvReLU6, nn.ReLU: _DeconvReLU},
    # `rectifiers: 'relu'`: nn.ReLU only, as pytorch-grad-cam and Captum (ReLU6 keeps its standard backward)
    'guided-relu': {nn.ReLU: _GuidedReLU},
    'deconvnet-relu': {nn.ReLU: _DeconvReLU},
}


def with_relu_mode(model, mode):
    import copy
    if mode == 'standard':
        return model
    m = copy.deepcopy(model)
    rules = RELU_RULES[mode]

    def swap(parent):
        for name, ch in parent.named_children():
            fn = next((f for cls, f in rules.items() if type(ch) is cls), None)
            if fn is not None:
                setattr(parent, name, ModeReLU(fn))
            else:
                swap(ch)
    swap(m)
    return m


# ---------------------------------------------------------------------------------------------
# Targets: the same JSON shape as @gradscope/core's `Target`
# ---------------------------------------------------------------------------------------------
def target_score(t, logits_row):
    """The scalar score of a core `Target` on one row of logits (a torch expression)."""
    sign = -1.0 if t.get('negate') else 1.0
    if t['kind'] == 'seed':
        return sign * (torch.tensor(t['seed'], dtype=torch.float32) * logits_row).sum()
    c = t.get('index', int(logits_row.argmax()))
    if t['kind'] == 'class':
        return sign * logits_row[c]
    if t['kind'] == 'rest':  # ClassifierOutputReST: y_c − cross_entropy(y, c)
        return sign * (logits_row[c] - torch.nn.functional.cross_entropy(logits_row[None], torch.tensor([c])))
    if t['kind'] == 'finer':  # FinerCAM's comparison classes (ranks 1-3 of |y_k − y_c|) + FinerWeightedTarget
        y = logits_row
        order = np.argsort(np.abs(y.detach().numpy() - float(y[c])), kind='stable')
        p = torch.softmax(y, dim=-1)
        js = [int(order[r]) for r in t.get('ranks', [1, 2, 3])]
        alpha = t.get('alpha', 1.0)
        return sign * sum(p[j] * (y[c] - alpha * y[j]) for j in js) / (sum(p[j] for j in js) + 1e-9)
    return sign * torch.softmax(logits_row, dim=-1)[c]


def fixed_target(t, logits_row):
    """`t` with its class fixed at the unmodified logits (top-1 must not move with masked inputs)."""
    c = target_class(t, logits_row)
    return dict(t) if c is None else {**t, 'index': c}


def target_class(t, logits_row):
    return None if t['kind'] == 'seed' else t.get('index', int(logits_row.argmax()))


# ---------------------------------------------------------------------------------------------
# pytorch-grad-cam's pipeline (BaseCAM.compute_cam_per_layer, scale_cam_image, aggregate_multi_layers)
# ---------------------------------------------------------------------------------------------
def scale_cam_image(cam, target_size=None):
    img = cam - np.min(cam)
    img = img / (1e-7 + np.max(img))
    if target_size is not None:
        img = cv2.resize(img, target_size)  # INTER_LINEAR, half-pixel centres, edge clamp
    return np.float32(img)


def per_layer_map(raw):
    """Steps 4-5 (compute_cam_per_layer): ReLU, min-max scale, resize to the input size."""
    return scale_cam_image(np.maximum(raw, 0), (W, H))


def cam_from_raw(raw):
    """What pytorch-grad-cam returns for ONE layer: aggregate_multi_layers runs for one layer too, so the
    resized map is min-max scaled again (bilinear interpolation moved its min and max)."""
    return aggregate([per_layer_map(raw)])


def aggregate(maps):
    """Step 6: stack, ReLU, mean over layers, min-max again (no resize)."""
    s = np.maximum(np.stack(maps, axis=0), 0)
    return scale_cam_image(np.mean(s, axis=0))


def projection(x):
    """First principal component projection of x (C, h, w) -> (h, w); sign: largest |entry| positive."""
    C = x.shape[0]
    X = x.reshape(C, -1).T.astype(np.float64)
    X = X - X.mean(axis=0)
    _, _, vt = np.linalg.svd(X, full_matrices=False)
    p = X @ vt[0]
    if p[np.argmax(np.abs(p))] < 0:
        p = -p
    return np.float32(p.reshape(x.shape[1:]))


def cam_raw(method, A, G):
    """The method's raw map (before the ReLU of step 4) from activation A and gradient G, (C, h, w)."""
    if method == 'gradcam':
        w = np.mean(G, axis=(1, 2))
        return (w[:, None, None] * A).sum(axis=0)
    if method == 'gradcam-plusplus':
        g2 = G ** 2
        g3 = g2 * G
        sa = np.sum(A, axis=(1, 2))
        aij = g2 / (2 * g2 + sa[:, None, None] * g3 + 1e-6)
        aij = np.where(G != 0, aij, 0)
        w = np.sum(np.maximum(G, 0) * aij, axis=(1, 2))
        return (w[:, None, None] * A).sum(axis=0)
    if method == 'xgradcam':
        sa = np.sum(A, axis=(1, 2))
        w = np.sum(G * A / (sa[:, None, None] + 1e-7), axis=(1, 2))
        return (w[:, None, None] * A).sum(axis=0)
    if method == 'hirescam':
        return (G * A).sum(axis=0)
    if method == 'gradcam-elementwise':
        return np.maximum(G * A, 0).sum(axis=0)
    if method == 'layercam':
        return (np.maximum(G, 0) * A).sum(axis=0)
    if method == 'eigencam':
        return projection(A)
    if method == 'eigengradcam':
        return projection(G * A)
    if method == 'seg-eigen-cam':  # |G| ⊙ A, sign: flipped when |min| > |max| (the paper's Eq. 13)
        p = projection(np.abs(G) * A)
        return -p if abs(p.min()) > abs(p.max()) else p
    if method == 'kpca-cam':  # scikit-learn's KernelPCA, as pytorch-grad-cam's get_2d_projection_kernel
        from sklearn.decomposition import KernelPCA
        X = A.reshape(A.shape[0], -1).T
        X = X - X.mean(axis=0)
        # pytorch-grad-cam leaves eigen_solver 'auto', which for > 200 positions is scikit-learn's
        # randomized solver (unseeded, ~1e-6 run to run); the exact dense solver is the reference
        kpca = KernelPCA(n_components=1, kernel='sigmoid', eigen_solver='dense')
        return np.float32(kpca.fit_transform(X).reshape(A.shape[1:]))
    if method == 'fem':  # k = 2, population std, strict threshold
        th = A.mean(axis=(1, 2)) + 2 * A.std(axis=(1, 2))
        w = (A > th[:, None, None]).mean(axis=(1, 2))
        return (w[:, None, None] * A).sum(axis=0)
    raise ValueError(method)


# ---------------------------------------------------------------------------------------------
# Capture: forward hooks on the layers, backward from the target score
# ---------------------------------------------------------------------------------------------
def capture(model, x, target, layers, mode='standard'):
    m = with_relu_mode(model, mode)
    mods = dict(m.named_modules())
    store = {}
    handles = []
    for name in layers:
        def hook(_mod, _inp, out, name=name):
            out.retain_grad()
            store[name] = out
        handles.append(mods[name].register_forward_hook(hook))
    xi = x.clone().requires_grad_(True)
    logits = m(xi)
    score = target_score(target, logits[0])
    score.backward()
    for h in handles:
        h.remove()
    acts = {k: v.detach().numpy()[0] for k, v in store.items()}
    grads = {k: v.grad.numpy()[0] for k, v in store.items()}
    return logits.detach().numpy(), float(score), acts, grads, xi.grad.numpy()


def capture_hvp(model, x, target, layer):
    """A, G = d score / d A and H·A = d<G, A>/dA at one layer (torch double backward, as ShapleyCAM)."""
    store = {}
    h = dict(model.named_modules())[layer].register_forward_hook(lambda _m, _i, out: store.__setitem__('a', out))
    score = target_score(target, model(x.clone())[0])
    h.remove()
    a = store['a']
    (g,) = torch.autograd.grad(score, a, create_graph=True)
    (hv,) = torch.autograd.grad(g, a, grad_outputs=a.detach(), allow_unused=True)  # None: H = 0 (as pgc)
    hv = np.zeros(a.shape[1:], np.float32) if hv is None else hv.detach().numpy()[0]
    return a.detach().numpy()[0], g.detach().numpy()[0], hv


def fullgrad_map(model, x, target, eigen=False, folded=None):
    """pytorch-grad-cam's FullGrad: |x ⊙ ∂s/∂x| per channel plus, per Conv2d / BatchNorm2d with a bias,
    Σ_c scale(|b_c·G_c|), each channel min-max scaled and resized; summed (or, with eigen, projected at
    1/8 size), then min-max. `folded` {bn: conv}: the layers as an ONNX export with BN folded sees them —
    the conv's own bias term dropped, the BN's bias the folded one (γ/σ·(b − μ) + β)."""
    layers = [(n, m) for n, m in model.named_modules()
              if type(m) in (nn.Conv2d, nn.BatchNorm2d) and m.bias is not None and n not in (folded or {}).values()]
    mods = dict(model.named_modules())
    store = {}

    def hook(_m, _i, out, n):
        out.retain_grad()
        store[n] = out
    hs = [m.register_forward_hook(lambda _m, _i, o, n=n: hook(_m, _i, o, n)) for n, m in layers]
    xi = x.clone().requires_grad_(True)
    target_score(target, model(xi)[0]).backward()
    for h in hs:
        h.remove()

    def bias(n, m):
        if isinstance(m, nn.BatchNorm2d):
            s = m.weight / torch.sqrt(m.running_var + m.eps)
            b = m.bias - m.running_mean * s
            conv = (folded or {}).get(n)
            if conv is not None and mods[conv].bias is not None:
                b = b + s * mods[conv].bias
            return b.detach().numpy()
        return m.bias.detach().numpy()

    def per_channel(arr, size):
        return np.stack([scale_cam_image(c, size) for c in arr])
    terms = [per_channel(np.abs(xi.grad.numpy()[0] * x.numpy()[0]), (W, H))]
    for n, m in layers:
        g = store[n].grad.numpy()[0]
        terms.append(per_channel(np.abs(bias(n, m)[:, None, None] * g), (W, H)).sum(axis=0)[None])
    cat = np.concatenate(terms)
    if eigen:
        cat = per_channel(projection(per_channel(cat, (W // 8, H // 8)))[None], (W, H))
    return scale_cam_image(cat.sum(axis=0))


def fullgrad_cases(model, x, t, spec, wr, d, case):
    """FullGrad goldens on x0 / top-1: as pytorch-grad-cam (tfjs keeps every layer), and as the ONNX
    export sees the network (BN folded into the conv before it) when the two differ."""
    folded = spec['folded']
    differs = any(getattr(dict(model.named_modules())[c], 'bias', None) is not None for c in folded.values())
    variants = [('', None, ['tfjs', 'onnx'] if not differs else ['tfjs'])]
    if differs:
        variants.append(('-folded', folded, ['onnx']))
    for tag, fold, backends in variants:
        opts = [({}, False)] + ([({'eigenSmooth': True}, True)] if spec['extras'] else [])
        for o, eigen in opts:
            name = f'fullgrad{tag}' + ('-eigen-smooth' if eigen else '')
            extra = {'backends': backends}
            if o:
                extra['options'] = o
            case('fullgrad', 'x0', 'top1', [], wr.save(f'{d}/{name}.npy', fullgrad_map(model, x, t, eigen, fold)), None, extra)
        if spec['extras']:
            maps = []
            for flip in (False, True):
                for factor in (0.9, 1.0, 1.1):
                    xa = (torch.flip(x, dims=[3]) if flip else x) * factor
                    m_aug = fullgrad_map(model, xa, t, False, fold)
                    maps.append(m_aug[:, ::-1] if flip else m_aug)
            case('fullgrad', 'x0', 'top1', [], wr.save(f'{d}/fullgrad{tag}-aug-smooth.npy', np.mean(maps, axis=0)), None,
                 {'backends': backends, 'options': {'augSmooth': True}})


def seed_of(target, logits_row):
    """d score / d logits at the given logits."""
    y = torch.tensor(logits_row, requires_grad=True)
    target_score(target, y).backward()
    return y.grad.numpy()


def run_with_layer(model, x, layer, fn):
    """Logits when `layer`'s output is replaced by fn(output)."""
    h = dict(model.named_modules())[layer].register_forward_hook(lambda _m, _i, out: fn(out))
    with torch.no_grad():
        y = model(x)
    h.remove()
    return y.numpy()


def scorecam_raw(model, x, A, target, batch=16):
    with torch.no_grad():
        target = fixed_target(target, model(x)[0])
    a = torch.from_numpy(A[None])
    up = nn.UpsamplingBilinear2d(size=(H, W))(a)  # align_corners=True
    flat = up.view(1, up.shape[1], -1)
    mx = flat.max(dim=-1)[0][:, :, None, None]
    mn = flat.min(dim=-1)[0][:, :, None, None]
    up = (up - mn) / (mx - mn + 1e-8)
    inputs = (x[:, None] * up[:, :, None])[0]
    scores = []
    with torch.no_grad():
        for i in range(0, inputs.shape[0], batch):
            for o in model(inputs[i:i + batch]):
                scores.append(float(target_score(target, o)))
    w = torch.softmax(torch.tensor(scores), dim=-1).numpy()
    return (w[:, None, None] * A).sum(axis=0)


def ablationcam_raw(model, x, layer, A, target):
    with torch.no_grad():
        target = fixed_target(target, model(x)[0])
        s0 = float(target_score(target, model(x)[0]))
    w = np.zeros(A.shape[0], np.float32)
    for c in range(A.shape[0]):
        def ablate(out, c=c):
            out = out.clone()
            out[:, c] = 0
            return out
        y = run_with_layer(model, x, layer, ablate)
        sc = float(target_score(target, torch.from_numpy(y[0])))
        w[c] = (s0 - sc) / abs(s0)
    return (w[:, None, None] * A).sum(axis=0)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
class Writer:
    def __init__(self, root):
        self.root = root
        self.files = {}

    def save(self, rel, arr):
        arr = np.ascontiguousarray(arr, dtype=np.float32)
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        np.save(path, arr)
        self.files[rel] = list(arr.shape)
        return rel


def make_inputs():
    g = torch.Generator().manual_seed(7)
    x0 = torch.randn(1, 3, H, W, generator=g)
    x1 = torch.randn(1, 3, H, W, generator=g)
    # an image-like input: smooth ramps plus a flat square (plenty of ties after ReLU and MaxPool)
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, H), torch.linspace(-1, 1, W), indexing='ij')
    x2 = torch.stack([xx, yy, xx * yy])[None] * 1.5
    x2[:, :, 8:20, 10:22] = 0.25
    return {'x0': x0, 'x1': x1, 'x2': x2}


def make_fixture(name, spec):
    out = os.path.join(FIXTURES, name)
    for sub in ['golden', 'inputs', 'weights']:
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    wr = Writer(out)
    model = spec['make']()
    LAYERS = spec['layers']
    POOLED = LAYERS[-1]

    # raw parameters for the tfjs copy (OIHW conv kernels, [out, in] dense, BN affine + running stats)
    for k, v in model.state_dict().items():
        if k.endswith('num_batches_tracked'):
            continue
        wr.save(f'weights/{k}.npy', v.numpy())

    inputs = make_inputs()
    batch = torch.cat(list(inputs.values()))
    with torch.no_grad():
        batch_logits = model(batch).numpy()
    wr.save('golden/batch-logits.npy', batch_logits)
    wr.save('inputs/batch.npy', batch.numpy())

    k = spec['class_index']
    all_targets = {
        'top1': {'kind': 'class'},
        f'class{k}': {'kind': 'class', 'index': k},
        'softmax': {'kind': 'softmax'},
        'counterfactual': {'kind': 'class', 'negate': True},
        'seed': {'kind': 'seed', 'seed': [0.5, -1.0, 0.25, 2.0, -0.75]},
    }
    plan = {inp: [f'class{k}' if t == 'class' else t for t in ts] for inp, ts in spec['plan'].items()}
    all_targets = {t: v for t, v in all_targets.items() if any(t in ts for ts in plan.values())}
    class_targets = {'top1', f'class{k}'}

    manifest_inputs = {}
    captures = []
    methods = []

    def case(method, inp, tname, layers, map_rel, raw_rel, extra=None):
        c = {'method': method, 'input': inp, 'target': tname, 'layers': layers, 'map': map_rel, 'raw': raw_rel}
        if extra:
            c.update(extra)
        methods.append(c)

    for inp, x in inputs.items():
        in_rel = wr.save(f'inputs/{inp}.npy', x.numpy())
        logits, _, acts, _, _ = capture(model, x, all_targets['top1'], LAYERS)
        lg_rel = wr.save(f'golden/{inp}/logits.npy', logits)
        act_rel = {L: wr.save(f'golden/{inp}/act-{L}.npy', acts[L][None]) for L in LAYERS}
        # run from layer: zero the first four channels of each layer's output
        ablated = {}
        for L in LAYERS:
            def zero4(o):
                o = o.clone()
                o[:, :4] = 0
                return o
            ablated[L] = wr.save(f'golden/{inp}/run-from-{L}-zero4.npy', run_with_layer(model, x, L, zero4))
        manifest_inputs[inp] = {'input': in_rel, 'logits': lg_rel, 'top1': int(np.argmax(logits[0])),
                                'activations': act_rel, 'runFromLayerZero4': ablated}

        for tname in plan[inp]:
            t = all_targets[tname]
            d = f'golden/{inp}/{tname}'
            logits, score, acts, grads, dx = capture(model, x, t, LAYERS)
            cls = target_class(t, logits[0])
            cap = {'input': inp, 'target': tname, 'classIndex': cls, 'score': score,
                   'seed': wr.save(f'{d}/seed.npy', seed_of(t, logits[0])),
                   'gradients': {L: wr.save(f'{d}/grad-{L}.npy', grads[L][None]) for L in LAYERS},
                   'inputGradient': {'standard': wr.save(f'{d}/dx-standard.npy', dx)}}
            per_layer = {}  # compute_cam_per_layer: scaled and resized, before aggregation
            cam_maps = {}  # what pytorch-grad-cam returns for one layer: aggregate_multi_layers runs for one too
            for L in LAYERS:
                raw = cam_raw('gradcam', acts[L], grads[L])
                per_layer[L] = per_layer_map(raw)
                cam_maps[L] = cam_from_raw(raw)
                case('gradcam', inp, tname, [L], wr.save(f'{d}/gradcam-{L}.npy', cam_maps[L]),
                     wr.save(f'{d}/gradcam-{L}-raw.npy', raw))
            case('gradcam', inp, tname, LAYERS, wr.save(f'{d}/gradcam-multi.npy', aggregate([per_layer[L] for L in LAYERS])), None)
            if tname == 'counterfactual':
                # the same maps reached as `counterfactual-gradcam` of the top-1 class
                for L in LAYERS:
                    single = next(c for c in methods if c['method'] == 'gradcam' and c['input'] == inp
                                  and c['target'] == tname and c['layers'] == [L])
                    case('counterfactual-gradcam', inp, 'top1', [L], single['map'], single['raw'])
            case('saliency', inp, tname, [], None, cap['inputGradient']['standard'])
            if tname in class_targets:
                if spec['relu_modes']:
                    for mode in spec['relu_modes']:
                        _, _, _, _, dxm = capture(model, x, t, LAYERS, mode)
                        cap['inputGradient'][mode] = wr.save(f'{d}/dx-{mode}.npy', dxm)
                    case('guided-backprop', inp, tname, [], None, cap['inputGradient']['guided'])
                    case('deconvnet', inp, tname, [], None, cap['inputGradient']['deconvnet'])
                    gb = np.load(os.path.join(out, cap['inputGradient']['guided']))
                    ggc = gb * cam_maps[POOLED][None, None]
                    case('guided-gradcam', inp, tname, [POOLED], None, wr.save(f'{d}/guided-gradcam.npy', ggc))
                # classic CAM: dense weights of the class on the pooled layer
                Wfc = model.fc.weight.detach().numpy()
                raw = (Wfc[cls][:, None, None] * acts[POOLED]).sum(axis=0)
                case('cam', inp, tname, [POOLED], wr.save(f'{d}/cam.npy', cam_from_raw(raw)),
                     wr.save(f'{d}/cam-raw.npy', raw))
            if spec['extras'] and tname == 'top1' and inp == 'x0':
                for meth in ['gradcam-plusplus', 'xgradcam', 'hirescam', 'gradcam-elementwise', 'layercam',
                             'eigencam', 'eigengradcam', 'seg-eigen-cam', 'kpca-cam', 'fem']:
                    for L in LAYERS:
                        raw = cam_raw(meth, acts[L], grads[L])
                        extra = {'upToSign': True} if meth.startswith('eigen') else None
                        case(meth, inp, tname, [L], wr.save(f'{d}/{meth}-{L}.npy', cam_from_raw(raw)),
                             wr.save(f'{d}/{meth}-{L}-raw.npy', raw), extra)
                # eigen_smooth: the first principal component of w ⊙ A instead of Σ_c (sign fixed, gradscope's rule)
                for meth, wa in [('gradcam', lambda A, G: np.mean(G, axis=(1, 2))[:, None, None] * A),
                                 ('layercam', lambda A, G: np.maximum(G, 0) * A)]:
                    raw = projection(wa(acts[POOLED], grads[POOLED]))
                    case(meth, inp, tname, [POOLED], wr.save(f'{d}/{meth}-eigen-smooth.npy', cam_from_raw(raw)),
                         wr.save(f'{d}/{meth}-eigen-smooth-raw.npy', raw), {'options': {'eigenSmooth': True}})
                # aug_smooth: six forwards over {identity, flip} × {×0.9, ×1, ×1.1}, each map de-flipped, mean
                maps = []
                for flip in (False, True):
                    for factor in (0.9, 1.0, 1.1):
                        xa = torch.flip(x, dims=[3]) if flip else x
                        xa = xa * factor
                        _, _, a_aug, g_aug, _ = capture(model, xa, t, [POOLED])
                        m_aug = cam_from_raw(cam_raw('gradcam', a_aug[POOLED], g_aug[POOLED]))
                        maps.append(m_aug[:, ::-1] if flip else m_aug)
                case('gradcam', inp, tname, [POOLED], wr.save(f'{d}/gradcam-aug-smooth.npy', np.mean(maps, axis=0)),
                     None, {'options': {'augSmooth': True}})
                # Deep Feature Factorization (pytorch-grad-cam's dff: NMF init='random', random_state=0, k = 5)
                # at the pooled layer; concepts labelled by the dense head; map = the concept scoring the class best
                from sklearn.decomposition import NMF
                A = acts[POOLED].astype(np.float32)
                Cc, hh, ww = A.shape
                V = A.reshape(Cc, -1).copy()
                V[np.isnan(V)] = 0
                offset = V.min(axis=-1)
                V = V - offset[:, None]
                nm = NMF(n_components=5, init='random', random_state=0)
                Wn = nm.fit_transform(V)
                Hn = nm.components_.reshape(5, hh, ww)
                concepts = Wn + offset[:, None]
                logits_c = concepts.T @ model.fc.weight.detach().numpy().T + model.fc.bias.detach().numpy()
                probs = np.exp(logits_c - logits_c.max(axis=1, keepdims=True))
                probs = probs / probs.sum(axis=1, keepdims=True)
                best = int(np.argmax(probs[:, cls]))
                case('dff', inp, tname, [POOLED], wr.save(f'{d}/dff.npy', scale_cam_image(Hn[best], (W, H))),
                     wr.save(f'{d}/dff-raw.npy', Hn[best]), {'tolerance': {'maxAbs': 1e-3}})
                # FinerCAM (base Grad-CAM, alpha 1, comparison ranks 1-3) of the top-1 class
                _, _, a_f, g_f, _ = capture(model, x, {'kind': 'finer'}, LAYERS)
                for L in LAYERS:
                    raw = cam_raw('gradcam', a_f[L], g_f[L])
                    case('finer-cam', inp, tname, [L], wr.save(f'{d}/finer-cam-{L}.npy', cam_from_raw(raw)),
                         wr.save(f'{d}/finer-cam-{L}-raw.npy', raw))
                # RefineCAM (base Grad-CAM++): the product of the per-layer maps, min-max scaled
                prod = np.prod([cam_from_raw(cam_raw('gradcam-plusplus', acts[L], grads[L])) for L in LAYERS], axis=0)
                case('refine-cam', inp, tname, LAYERS, wr.save(f'{d}/refine-cam.npy', scale_cam_image(prod)),
                     wr.save(f'{d}/refine-cam-raw.npy', prod))
                raw = scorecam_raw(model, x, acts[POOLED], t)
                case('scorecam', inp, tname, [POOLED], wr.save(f'{d}/scorecam-{POOLED}.npy', cam_from_raw(raw)),
                     wr.save(f'{d}/scorecam-{POOLED}-raw.npy', raw))
                raw = ablationcam_raw(model, x, POOLED, acts[POOLED], t)
                case('ablationcam', inp, tname, [POOLED], wr.save(f'{d}/ablationcam-{POOLED}.npy', cam_from_raw(raw)),
                     wr.save(f'{d}/ablationcam-{POOLED}-raw.npy', raw))
            if tname == 'top1' and inp == 'x0':
                perturb_cases(model, x, t, logits, acts, wr, d, case, spec, LAYERS)
            if inp == 'x0' and tname == 'top1':
                fullgrad_cases(model, x, t, spec, wr, d, case)
            if spec['extras'] and inp == 'x0' and tname in ('top1', 'softmax'):
                # ShapleyCAM: w_c = mean_ij (G − ½·H·A); a logit target's Hessian is 0 on this piecewise-linear net
                for L in LAYERS:
                    A, G, HA = capture_hvp(model, x, t, L)
                    raw = (np.mean(G - 0.5 * HA, axis=(1, 2))[:, None, None] * A).sum(axis=0)
                    case('shapley-cam', inp, tname, [L], wr.save(f'{d}/shapley-cam-{L}.npy', cam_from_raw(raw)),
                         wr.save(f'{d}/shapley-cam-{L}-raw.npy', raw))
            captures.append(cap)

    # ONNX copy: opset 13, constant folding (folds BN into Conv), scoped node names (/block/relu/Relu)
    onnx_path = os.path.join(out, 'model.onnx')
    torch.onnx.export(model, inputs['x0'], onnx_path, opset_version=13, do_constant_folding=True,
                      input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}})
    onnx_names = onnx_layer_names(onnx_path)
    for bn, conv in spec['folded'].items():
        onnx_names[bn] = onnx_names.pop(conv)
    aliases = module_aliases(model, inputs['x0'])
    layers = {}
    for L in spec['modules']:
        entry = {'torch': L, 'tfjs': L.replace('.', '_')}
        if L in onnx_names:
            entry['onnx'] = onnx_names[L]
        if aliases.get(L):
            entry['aliases'] = aliases[L]
        layers[L] = entry
    shapes = {L: list(np.load(os.path.join(out, manifest_inputs['x0']['activations'][L])).shape) for L in LAYERS}

    manifest = {
        'name': name,
        'description': spec['description'],
        'generator': 'packages/conformance/scripts/make-fixtures.py (torch %s)' % torch.__version__,
        'layout': 'NCHW',
        'input': {'shape': [1, 3, H, W], 'height': H, 'width': W, 'channels': 3, 'names': {'torch': 'input', 'tfjs': 'input', 'onnx': 'input'}},
        'numClasses': NUM_CLASSES,
        'formats': {'tfjs': 'tfjs/model.json', 'onnx': 'model.onnx'},
        'layers': layers,
        'goldenLayers': LAYERS,
        'layerShapes': shapes,
        'reluModes': ['standard'] + spec['relu_modes'],
        'head': {'featureLayer': POOLED, 'weights': wr.save('golden/fc-weight.npy', model.fc.weight.detach().numpy())},
        'targets': all_targets,
        'inputs': manifest_inputs,
        'batch': {'inputs': list(inputs), 'input': 'inputs/batch.npy', 'logits': 'golden/batch-logits.npy'},
        'captures': captures,
        'methods': methods,
        'tolerances': {
            'logits': {'maxAbs': 1e-4},
            'activations': {'relative': 1e-4},
            'gradients': {'relative': 1e-3, 'cosine': 0.9999},
            'camMap': {'maxAbs': 1e-4},
            'camRaw': {'relative': 1e-3, 'cosine': 0.9999},
        },
        'files': wr.files,
    }
    with open(os.path.join(out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')
    print(f'{name}: wrote {len(wr.files)} arrays and {len(methods)} method cases; top-1 per input:',
          {k: v['top1'] for k, v in manifest_inputs.items()})


def perturb_cases(model, x, t, logits, acts, wr, d, case, spec, LAYERS):
    """Goldens of the methods that run the model many times (perturb_references.py), on x0 / top-1."""
    ft = fixed_target(t, torch.from_numpy(logits[0]))
    score_fn = lambda o: target_score(ft, o)  # noqa: E731
    POOLED = LAYERS[-1]

    def inp_case(method, name, arr, options=None):
        case(method, 'x0', 'top1', [], None, wr.save(f'{d}/{name}.npy', arr), {'options': options} if options else None)

    for mode in ['guided', 'deconvnet']:
        _, _, _, _, dxm = capture(model, x, t, LAYERS, f'{mode}-relu')
        inp_case('guided-backprop' if mode == 'guided' else 'deconvnet', f'dx-{mode}-relu-only', dxm,
                 {'rectifiers': 'relu'})
    if spec['extras']:
        inp_case('occlusion', 'occlusion-w8-s4', pr.occlusion(model, x, score_fn, 8, 4, 0.0))
        inp_case('occlusion', 'occlusion-w6-s3-b05', pr.occlusion(model, x, score_fn, 6, 3, 0.5),
                 {'window': 6, 'stride': 3, 'baseline': 0.5})
        inp_case('rise', 'rise', pr.rise(model, x, score_fn, 300, 8, 0.5, 3),
                 {'masks': 300, 'cell': 8, 'p': 0.5, 'seed': 3})
        inp_case('integrated-gradients', 'ig-gl50', pr.integrated_gradients(model, x, score_fn, 50, 'gauss-legendre', 0.0))
        for rule in ['riemann-trapezoid', 'riemann-left', 'riemann-right', 'riemann-middle']:
            inp_case('integrated-gradients', f'ig-{rule}-16',
                     pr.integrated_gradients(model, x, score_fn, 16, rule, 0.25), {'steps': 16, 'rule': rule, 'baseline': 0.25})
        inp_case('input-x-gradient', 'input-x-gradient', pr.input_x_gradient(model, x, score_fn))
        noise = pr.smooth_noise(x, 6, 0.2, 5)
        dxs = [pr.input_grads(model, x + n, score_fn).numpy() for n in noise]
        o = {'samples': 6, 'sigma': 0.2, 'seed': 5}
        inp_case('smoothgrad', 'smoothgrad', np.mean(dxs, axis=0), o)
        inp_case('smoothgrad-sq', 'smoothgrad-sq', np.mean(np.square(dxs), axis=0), o)
        raws, maps = [], []
        for n in noise:
            _, _, a_n, g_n, _ = capture(model, x + n, ft, [POOLED])
            raws.append(cam_raw('gradcam', a_n[POOLED], g_n[POOLED]))
            maps.append(cam_from_raw(raws[-1]))
        case('smoothgrad', 'x0', 'top1', [POOLED], wr.save(f'{d}/smoothgrad-gradcam.npy', scale_cam_image(np.mean(maps, axis=0))),
             wr.save(f'{d}/smoothgrad-gradcam-raw.npy', np.mean(raws, axis=0)), {'options': {**o, 'method': 'gradcam'}})
        raw = pr.scorecam_topk(model, x, acts[POOLED], score_fn, 8, H, W)
        case('scorecam', 'x0', 'top1', [POOLED], wr.save(f'{d}/scorecam-top8.npy', cam_from_raw(raw)),
             wr.save(f'{d}/scorecam-top8-raw.npy', raw), {'options': {'topK': 8}})
    for L in LAYERS:  # ablation on every golden layer: tiny-mobile's `block` is a residual sum (min ≠ 0)
        for pgc in (False, True):
            raw = (pr.ablationcam_pgc if pgc else pr.ablationcam_fixed)(model, x, L, acts[L], score_fn)
            tag = '-pgc' if pgc else ''
            case('ablationcam', 'x0', 'top1', [L], wr.save(f'{d}/ablationcam{tag}-{L}.npy', cam_from_raw(raw)),
                 wr.save(f'{d}/ablationcam{tag}-{L}-raw.npy', raw), {'options': {'pgcCompatible': pgc}})


def main():
    torch.set_num_threads(1)  # one thread: reductions in a fixed order, so reruns are byte-identical
    for name in sys.argv[1:] or SPECS:
        make_fixture(name, SPECS[name])


def module_aliases(model, x):
    """module path -> other module paths whose output is the very same tensor (e.g. `head` for `head.act`)."""
    outs = {}
    hooks = [m.register_forward_hook(lambda _m, _i, o, n=n: outs.__setitem__(n, o))
             for n, m in model.named_modules() if n]
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return {n: sorted(k for k, o in outs.items() if k != n and o is t) for n, t in outs.items()}


def onnx_layer_names(path):
    """torch module path -> {'node': ONNX node name, 'output': its output tensor} for the module's last node."""
    import onnx
    g = onnx.load(path).graph
    out = {}
    for n in g.node:
        parts = n.name.strip('/').split('/')
        if len(parts) < 2:
            continue
        mod = '.'.join(parts[:-1])
        out[mod] = {'node': n.name, 'output': n.output[0], 'op': n.op_type}
    return out


if __name__ == '__main__':
    main()
