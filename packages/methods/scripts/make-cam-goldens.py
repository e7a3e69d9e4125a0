"""Goldens for the CAM pipeline, computed the way pytorch-grad-cam 1.5 does it (NumPy float32 + OpenCV).

pytorch-grad-cam is not installable here (no pip), so its few lines that matter are restated below
verbatim in behaviour: BaseCAM.get_cam_image, compute_cam_per_layer, aggregate_multi_layers,
scale_cam_image (cv2.resize, INTER_LINEAR) and GradCAM.get_cam_weights. Inputs are seeded random
activations/gradients for two layers; the test feeds them to a fake model and compares.

Run: /usr/bin/python3 packages/methods/scripts/make-cam-goldens.py   (writes packages/methods/test/fixtures/)
"""
import os
import cv2
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')
H, W = 20, 15  # input size (non-square); pytorch-grad-cam's target_size is (width, height)


def scale_cam_image(cam, target_size=None):
    result = []
    for img in cam:
        img = img - np.min(img)
        img = img / (1e-7 + np.max(img))
        if target_size is not None:
            img = cv2.resize(np.float32(img), target_size)
        result.append(img)
    return np.float32(result)


def gradcam_per_layer(activations, grads):
    weights = np.mean(grads, axis=(2, 3))                      # GradCAM.get_cam_weights
    cam = (weights[:, :, None, None] * activations).sum(axis=1)  # BaseCAM.get_cam_image
    raw = cam
    cam = np.maximum(cam, 0)
    return raw, scale_cam_image(cam, (W, H))[:, None, :]


def aggregate_multi_layers(per_layer):
    per_layer = np.concatenate(per_layer, axis=1)
    per_layer = np.maximum(per_layer, 0)
    return scale_cam_image(np.mean(per_layer, axis=1))


def main():
    rng = np.random.default_rng(20261127)
    a1 = np.maximum(rng.standard_normal((1, 6, 7, 5)), 0).astype(np.float32)
    g1 = rng.standard_normal((1, 6, 7, 5)).astype(np.float32)
    a2 = np.maximum(rng.standard_normal((1, 4, 4, 3)), 0).astype(np.float32)
    g2 = rng.standard_normal((1, 4, 4, 3)).astype(np.float32)
    raw1, m1 = gradcam_per_layer(a1, g1)
    _, m2 = gradcam_per_layer(a2, g2)
    out = {
        'a1': a1, 'g1': g1, 'a2': a2, 'g2': g2,
        'gradcam-layer1-raw': raw1[0], 'gradcam-layer1-map': aggregate_multi_layers([m1])[0],  # runs for one layer too
        'gradcam-both-map': aggregate_multi_layers([m1, m2])[0],
    }
    os.makedirs(OUT, exist_ok=True)
    for name, arr in out.items():
        np.save(os.path.join(OUT, f'{name}.npy'), np.ascontiguousarray(arr, dtype=np.float32))
        print(name, arr.shape, float(arr.min()), float(arr.max()))


if __name__ == '__main__':
    main()
