"""References for the methods that run the model many times (issue 9), used by make-fixtures.py.

Each restates its source's behaviour with torch (Captum 0.8.0 and pytorch-grad-cam 084273b read, not
imported): Captum's Occlusion, IntegratedGradients (gausslegendre / riemann_* rules), InputXGradient and
NoiseTunnel (smoothgrad, smoothgrad_sq); pytorch-grad-cam's AblationCAM with its AblationLayer (ablation
value re-read from the chunk after every row, division by the signed score); Score-CAM with top-k
channels; RISE (Petsiuk et al. 2018) with gradscope's seeded masks. Seeded noise and masks use the same
generator as gradscope (mulberry32, Box-Muller), written here from its definition.
"""
import math

import cv2
import numpy as np
import torch
import torch.nn as nn


def mulberry32(seed):
    a = seed & 0xFFFFFFFF

    def nxt():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = ((a ^ (a >> 15)) * (1 | a)) & 0xFFFFFFFF
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & 0xFFFFFFFF)) & 0xFFFFFFFF) ^ t
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296.0
    return nxt


def gaussian_stream(seed):
    u = mulberry32(seed)
    spare = []

    def nxt():
        if spare:
            return spare.pop()
        r = math.sqrt(-2.0 * math.log(1.0 - u()))
        t = 2.0 * math.pi * u()
        spare.append(r * math.sin(t))
        return r * math.cos(t)
    return nxt


def scores(model, xs, score_fn):
    with torch.no_grad():
        return np.array([float(score_fn(o)) for o in model(xs)], dtype=np.float32)


def input_grads(model, xs, score_fn):
    xi = xs.clone().requires_grad_(True)
    out = model(xi)
    torch.stack([score_fn(o) for o in out]).sum().backward()
    return xi.grad.detach()


def occlusion(model, x, score_fn, window, stride, baseline):
    """Captum Occlusion, sliding window (C, window, window), strides (C, stride, stride)."""
    _, C, H, W = x.shape
    s0 = scores(model, x, score_fn)[0]
    total = torch.zeros_like(x)
    count = torch.zeros_like(x)
    for r in range(0, H - window + 1, stride):
        for c in range(0, W - window + 1, stride):
            mask = torch.zeros_like(x)
            mask[:, :, r:r + window, c:c + window] = 1
            xo = x * (1 - mask) + baseline * mask
            d = s0 - scores(model, xo, score_fn)[0]
            total += float(d) * mask
            count += mask
    return torch.where(count > 0, total / count.clamp(min=1), torch.zeros_like(x)).numpy()


def rise(model, x, score_fn, masks, cell, p, seed):
    _, C, H, W = x.shape
    g = math.ceil(max(H, W) / cell)
    S = (g + 1) * cell
    u = mulberry32(seed)
    sal = np.zeros((H, W), np.float64)
    ms = []
    for _ in range(masks):
        grid = np.array([1.0 if u() < p else 0.0 for _ in range(g * g)], np.float32).reshape(g, g)
        dy, dx = int(math.floor(u() * cell)), int(math.floor(u() * cell))
        big = cv2.resize(grid, (S, S), interpolation=cv2.INTER_LINEAR)
        ms.append(big[dy:dy + H, dx:dx + W])
    m = torch.from_numpy(np.stack(ms))[:, None]
    s = scores(model, x * m, score_fn)
    for k in range(masks):
        sal += float(s[k]) * ms[k].astype(np.float64)
    sal = np.float32(sal / (masks * p))
    return np.broadcast_to(sal, (1, C, H, W)).copy()


def ig_points(rule, n):
    if rule == 'gauss-legendre':
        t, w = np.polynomial.legendre.leggauss(n)
        return list(0.5 * (1 + t)), list(0.5 * w)
    if rule == 'riemann-trapezoid':
        return list(np.linspace(0, 1, n)), [1 / (2 * n)] + [1 / n] * (n - 2) + [1 / (2 * n)]
    a = {'riemann-left': np.linspace(0, 1 - 1 / n, n), 'riemann-right': np.linspace(1 / n, 1, n),
         'riemann-middle': np.linspace(1 / (2 * n), 1 - 1 / (2 * n), n)}[rule]
    return list(a), [1 / n] * n


def integrated_gradients(model, x, score_fn, steps, rule, baseline):
    alphas, w = ig_points(rule, steps)
    b = torch.full_like(x, baseline)
    path = torch.cat([b + a * (x - b) for a in alphas])
    g = input_grads(model, path, score_fn)
    total = (g * torch.tensor(w, dtype=torch.float32)[:, None, None, None]).sum(0, keepdim=True)
    return (total * (x - b)).numpy()


def input_x_gradient(model, x, score_fn):
    return (input_grads(model, x, score_fn) * x).numpy()


def smooth_noise(x, samples, sigma, seed):
    sd = sigma * float(x.max() - x.min())
    nrm = gaussian_stream(seed)
    n = x.numel()
    return [torch.tensor([sd * nrm() for _ in range(n)], dtype=torch.float32).reshape(x.shape) for _ in range(samples)]


def ablationcam_pgc(model, x, layer, A, score_fn, batch=32):
    """pytorch-grad-cam's AblationCAM.get_cam_weights + AblationLayer, restated (tail via a forward hook)."""
    s0 = np.float32(scores(model, x, score_fn)[0])
    C = A.shape[0]
    new = []
    mod = dict(model.named_modules())[layer]
    for i in range(0, C, batch):
        n = min(batch, C - i)
        out = torch.from_numpy(A[None]).clone().repeat(n, 1, 1, 1)
        for r in range(n):
            if torch.min(out) == 0:
                out[r, i + r] = 0
            else:
                out[r, i + r] = torch.min(out) - 1e7
        h = mod.register_forward_hook(lambda _m, _i, _o: out)
        new.extend(scores(model, x.repeat(n, 1, 1, 1), score_fn))
        h.remove()
    wts = np.float32(new)
    wts = (s0 - wts) / s0
    return (wts[:, None, None] * A).sum(axis=0)


def ablationcam_fixed(model, x, layer, A, score_fn):
    """gradscope's Ablation-CAM: one ablation value (0 if min(A) = 0, else min(A) − 1e7), divided by |s0|."""
    s0 = float(scores(model, x, score_fn)[0])
    mn = float(A.min())
    v = 0.0 if mn == 0 else float(np.float32(mn) - np.float32(1e7))
    mod = dict(model.named_modules())[layer]
    w = np.zeros(A.shape[0], np.float32)
    for c in range(A.shape[0]):
        out = torch.from_numpy(A[None]).clone()
        out[:, c] = v
        h = mod.register_forward_hook(lambda _m, _i, _o: out)
        sc = float(scores(model, x, score_fn)[0])
        h.remove()
        w[c] = (s0 - sc) / abs(s0)
    return (w[:, None, None] * A).sum(axis=0)


def scorecam_topk(model, x, A, score_fn, k, H, W):
    means = A.mean(axis=(1, 2))
    chosen = sorted(range(A.shape[0]), key=lambda c: (-means[c], c))[:k]
    up = nn.UpsamplingBilinear2d(size=(H, W))(torch.from_numpy(A[None]))[0]
    s = []
    for c in chosen:
        m = up[c]
        m = (m - m.min()) / (m.max() - m.min() + 1e-8)
        s.append(scores(model, x * m, score_fn)[0])
    p = torch.softmax(torch.tensor(s), dim=-1).numpy()
    w = np.zeros(A.shape[0], np.float32)
    w[chosen] = p
    return (w[:, None, None] * A).sum(axis=0)
