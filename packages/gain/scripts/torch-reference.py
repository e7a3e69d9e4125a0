"""PyTorch reference for one GAIN_ext step on a tiny CNN (Debian's torch: /usr/bin/python3).

Writes test/fixtures/gain-step.json: seeded weights and inputs in tfjs layouts (NHWC, HWIO kernels,
[in, out] dense), and float64 torch values of L_cl, L_am, L_e, the total and every parameter
gradient. The step follows GAIN.md §1.3 written from the equations: Grad-CAM weights from
torch.autograd.grad and then detached (first order); map = ReLU(Σ w f), min-max (1e-7), bilinear
upsampling (align_corners=False), min-max; T = sigmoid(ω(Â − σ)); I* = I − T⊙I;
L = CE + α·mean softmax_c(I*) + ω_e·mean over masked images of mean_pixels (Â − H)².

    /usr/bin/python3 packages/gain/scripts/torch-reference.py
"""
import json
import pathlib

import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
S, K, B = 8, 3, 3
ALPHA, OMEGA_E, SIGMA, OMEGA = 1.0, 10.0, 0.5, 10.0

params = {
    "conv1/kernel": torch.randn(4, 3, 3, 3) * 0.5,
    "conv1/bias": torch.randn(4) * 0.1,
    "conv2/kernel": torch.randn(4, 4, 3, 3) * 0.5,
    "conv2/bias": torch.randn(4) * 0.1 + 0.05,
    "logits/kernel": torch.randn(K, 4) * 0.5,
    "logits/bias": torch.randn(K) * 0.1,
}
for p in params.values():
    p.requires_grad_(True)

x = torch.rand(B, 3, S, S) * 2 - 1
labels = torch.tensor([0, 2, 1])
masks = torch.zeros(B, S, S)
masks[0, 2:6, 1:5] = 1
masks[2, 4:8, 3:8] = 1
has_mask = torch.tensor([1.0, 0.0, 1.0])


def features(inp):
    h = F.max_pool2d(F.relu(F.conv2d(inp, params["conv1/kernel"], params["conv1/bias"], padding=1)), 2)
    return F.relu(F.conv2d(h, params["conv2/kernel"], params["conv2/bias"], padding=1))


def head(f):
    return F.linear(f.mean(dim=(2, 3)), params["logits/kernel"], params["logits/bias"])


def minmax(a):
    lo = a.amin(dim=(1, 2), keepdim=True)
    hi = a.amax(dim=(1, 2), keepdim=True)
    return (a - lo) / (hi - lo + 1e-7)


f = features(x)
logits = head(f)
onehot = F.one_hot(labels, K).to(x.dtype)
g = torch.autograd.grad((logits * onehot).sum(), f, retain_graph=True)[0]
w = g.mean(dim=(2, 3), keepdim=True).detach()
raw = F.relu((w * f).sum(dim=1))
up = F.interpolate(minmax(raw).unsqueeze(1), size=(S, S), mode="bilinear", align_corners=False).squeeze(1)
amap = minmax(up)
t = torch.sigmoid(OMEGA * (amap - SIGMA)).unsqueeze(1)
erased = x - t * x
l_cl = F.cross_entropy(logits, labels)
l_am = (F.softmax(head(features(erased)), dim=1) * onehot).sum(dim=1).mean()
l_e = (((amap - masks) ** 2).mean(dim=(1, 2)) * has_mask).sum() / has_mask.sum()
total = l_cl + ALPHA * l_am + OMEGA_E * l_e
grads = torch.autograd.grad(total, list(params.values()))


def tfjs_layout(name, v):
    v = v.detach()
    if name.endswith("kernel") and v.dim() == 4:
        v = v.permute(2, 3, 1, 0)  # OIHW → HWIO
    elif name == "logits/kernel":
        v = v.t()  # [out, in] → [in, out]
    return {"shape": list(v.shape), "data": v.reshape(-1).tolist()}


out = {
    "settings": {"alpha": ALPHA, "omegaE": OMEGA_E, "sigma": SIGMA, "omega": OMEGA, "size": S, "classes": K},
    "x": {"shape": [B, S, S, 3], "data": x.permute(0, 2, 3, 1).reshape(-1).tolist()},
    "labels": labels.tolist(),
    "masks": masks.reshape(B, -1).tolist(),
    "hasMask": [bool(v) for v in has_mask.tolist()],
    "weights": {k: tfjs_layout(k, v) for k, v in params.items()},
    "loss": {"cl": l_cl.item(), "am": l_am.item(), "e": l_e.item(), "total": total.item()},
    "grads": {k: tfjs_layout(k, gr) for k, gr in zip(params, grads)},
    "torch": torch.__version__,
}
path = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "gain-step.json"
path.write_text(json.dumps(out) + "\n")
print(f"wrote {path}: loss {out['loss']}")
