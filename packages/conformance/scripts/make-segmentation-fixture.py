#!/usr/bin/env python3
"""Builds fixtures/tiny-seg: a tiny fully-convolutional segmentation net and its torch goldens.

    /usr/bin/python3 packages/conformance/scripts/make-segmentation-fixture.py
    node packages/conformance/scripts/make-tfjs-segmentation-fixture.mjs

Network (NCHW, seeded): conv1 3→8 3×3 pad 1 → relu1 → pool (MaxPool 2) → conv2 8→8 3×3 pad 1 → relu2
→ head 8→4 1×1. Input [1, 3, 16, 16]; output class planes [1, 4, 8, 8] (no flatten: the backends load
it as it is).

Goldens, torch autograd with pytorch-grad-cam's semantics:
- `SemanticSegmentationTarget(category, mask)`: score = (output[0, category] * mask).sum();
- Grad-CAM at relu2: weights = spatial mean of d score / d A, raw = Σ_k w_k A_k, then
  pytorch-grad-cam's steps 4-6 (ReLU, min-max with 1e-7, cv2.resize INTER_LINEAR to the input size,
  then aggregate_multi_layers: ReLU, mean over the one layer, min-max again).
Writes model.onnx, weights/*.npy (torch layouts, for the tfjs copy), inputs/x0.npy, mask.npy and
golden/{logits, relu2-activation, relu2-gradient, gradcam-raw, gradcam}.npy.
"""
import os

import cv2
import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'tiny-seg')
H = W = 16
CATEGORY = 2


class TinySeg(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.head = nn.Conv2d(8, 4, 1)

    def forward(self, x):
        return self.head(self.relu2(self.conv2(self.pool(self.relu1(self.conv1(x))))))


def save(rel, arr):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, np.ascontiguousarray(arr, dtype=np.float32))


def scale_cam_image(cam, target_size=None):
    img = cam - np.min(cam)
    img = img / (1e-7 + np.max(img))
    if target_size is not None:
        img = cv2.resize(img, target_size)
    return np.float32(img)


def main():
    torch.manual_seed(7)
    model = TinySeg().eval()
    x = torch.randn(1, 3, H, W, generator=torch.Generator().manual_seed(11))
    mask = np.zeros((H // 2, W // 2), dtype=np.float32)
    mask[2:6, 1:5] = 1  # pytorch-grad-cam's mask: the pixels of the region, at the output's resolution

    acts = {}
    model.relu2.register_forward_hook(lambda _m, _i, out: acts.__setitem__('relu2', out))
    out = model(x)
    A = acts['relu2']
    score = (out[0, CATEGORY, :, :] * torch.from_numpy(mask)).sum()
    (G,) = torch.autograd.grad(score, A)
    a, g = A[0].detach().numpy(), G[0].numpy()
    weights = g.mean(axis=(1, 2))
    raw = np.tensordot(weights, a, axes=1)
    per_layer = scale_cam_image(np.maximum(raw, 0), (W, H))
    cam = scale_cam_image(np.mean(np.maximum(np.stack([per_layer]), 0), axis=0))

    for name, p in model.state_dict().items():
        save(f'weights/{name}.npy', p.numpy())
    save('inputs/x0.npy', x.numpy())
    save('mask.npy', mask)
    save('golden/logits.npy', out.detach().numpy())
    save('golden/relu2-activation.npy', A.detach().numpy())
    save('golden/relu2-gradient.npy', G.numpy())
    save('golden/gradcam-raw.npy', raw)
    save('golden/gradcam.npy', cam)
    torch.onnx.export(
        model,
        x,
        os.path.join(ROOT, 'model.onnx'),
        input_names=['input'],
        output_names=['planes'],
        dynamic_axes={'input': {0: 'N'}, 'planes': {0: 'N'}},
        opset_version=13,
    )
    print(f'tiny-seg: output {list(out.shape)}, score {score.item():.6f}, cam range {cam.min():.3f}..{cam.max():.3f}')


if __name__ == '__main__':
    main()
