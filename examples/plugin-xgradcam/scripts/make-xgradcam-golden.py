"""A golden for XGrad-CAM, computed as pytorch-grad-cam 1.5's XGradCAM does (NumPy float32 + OpenCV).

pytorch-grad-cam is not installable here (no pip); the lines that matter (XGradCAM.get_cam_weights,
BaseCAM.get_cam_image, scale_cam_image) are restated below. Seeded random activations/gradients of
one layer; the test feeds them to a fake model and compares.

Run: /usr/bin/python3 examples/plugin-xgradcam/scripts/make-xgradcam-golden.py
"""
import os
import cv2
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')
H, W = 12, 16  # input size; pytorch-grad-cam's target_size is (width, height)


def xgradcam_weights(activations, grads):
    sum_activations = np.sum(activations, axis=(2, 3))
    eps = 1e-7
    weights = grads * activations / (sum_activations[:, :, None, None] + eps)
    return weights.sum(axis=(2, 3))


def scale_cam_image(img, target_size):
    img = img - np.min(img)
    img = img / (1e-7 + np.max(img))
    return cv2.resize(np.float32(img), target_size)


def main():
    rng = np.random.default_rng(7)
    a = np.maximum(rng.standard_normal((1, 5, 6, 4)), 0).astype(np.float32)
    a[0, 3] = 0  # an all-zero channel: the 1e-7 keeps its weight finite (0)
    g = rng.standard_normal((1, 5, 6, 4)).astype(np.float32)
    w = xgradcam_weights(a, g)
    raw = (w[:, :, None, None] * a).sum(axis=1)[0]
    out = {'a': a, 'g': g, 'weights': w[0], 'raw': raw, 'map': scale_cam_image(np.maximum(raw, 0), (W, H))}
    os.makedirs(OUT, exist_ok=True)
    for name, arr in out.items():
        np.save(os.path.join(OUT, f'{name}.npy'), np.ascontiguousarray(arr, dtype=np.float32))
        print(name, arr.shape, float(arr.min()), float(arr.max()))


if __name__ == '__main__':
    main()
