"""Goldens for NormGrad through pytorch-grad-cam's CAM pipeline (NumPy float32 + OpenCV).

NormGrad's single-layer map (Rebuffi et al., CVPR 2020, https://arxiv.org/abs/2004.02866): with a
virtual identity 1x1 convolution after the layer, each position's term of its weight gradient is
the outer product of G = d score / dA and A there; its Frobenius norm is |A[:, i, j]| * |G[:, i, j]|.
pytorch-grad-cam has no NormGrad and is not installable here (no pip): its pipeline steps
(compute_cam_per_layer's ReLU + scale_cam_image with cv2.resize INTER_LINEAR, then
aggregate_multi_layers' ReLU + mean + min-max, which runs for ONE layer too) are restated below.

Two goldens:
1. seeded random activations/gradients of one layer (fed to a fake model by the test): a.npy, g.npy,
   raw.npy, map.npy;
2. torch autograd's activations and gradients of the conformance fixture tiny-cnn (input x0, top-1
   class; packages/conformance/scripts/make-fixtures.py made them with torch) at relu3 and block.relu:
   tiny-cnn-x0-top1-<layer>.npy, which the tests compare with the plugin run on the real backends.

Run: /usr/bin/python3 examples/plugin-normgrad/scripts/make-normgrad-golden.py
"""
import os
import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'fixtures')
TINY = os.path.join(HERE, '..', '..', '..', 'packages', 'conformance', 'fixtures', 'tiny-cnn', 'golden', 'x0')


def normgrad_raw(a, g):
    """(1, C, h, w) activations and gradients -> (h, w): |A[:, i, j]|_2 * |G[:, i, j]|_2."""
    return (np.linalg.norm(a[0], axis=0) * np.linalg.norm(g[0], axis=0)).astype(np.float32)


def scale_cam_image(cam, target_size=None):
    img = cam - np.min(cam)
    img = img / (1e-7 + np.max(img))
    if target_size is not None:
        img = cv2.resize(np.float32(img), target_size)  # INTER_LINEAR; target_size is (width, height)
    return np.float32(img)


def cam_map(raw, height, width):
    """compute_cam_per_layer (ReLU, scale, resize) then aggregate_multi_layers for one layer."""
    per_layer = scale_cam_image(np.maximum(raw, 0), (width, height))
    stacked = np.maximum(np.stack([per_layer], axis=0), 0)
    return scale_cam_image(np.mean(stacked, axis=0))


def save(name, arr):
    np.save(os.path.join(OUT, f'{name}.npy'), np.ascontiguousarray(arr, dtype=np.float32))
    print(name, arr.shape, float(arr.min()), float(arr.max()))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(11)
    a = rng.standard_normal((1, 5, 6, 4)).astype(np.float32)  # signed, as a conv output may be
    g = rng.standard_normal((1, 5, 6, 4)).astype(np.float32)
    a[0, :, 2, 1] = 0  # a position with no activation: its term is 0 whatever the gradient
    raw = normgrad_raw(a, g)
    for name, arr in {'a': a, 'g': g, 'raw': raw, 'map': cam_map(raw, 12, 16)}.items():
        save(name, arr)
    for layer in ['relu3', 'block.relu']:
        act = np.load(os.path.join(TINY, f'act-{layer}.npy'))
        grad = np.load(os.path.join(TINY, 'top1', f'grad-{layer}.npy'))
        save(f'tiny-cnn-x0-top1-{layer}', cam_map(normgrad_raw(act, grad), 32, 32))


if __name__ == '__main__':
    main()
