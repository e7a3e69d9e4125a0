#!/usr/bin/python3
"""Independent reference values for @gradscope/render's tests.

Run with Debian's Python (`apt-get install -y python3-opencv python3-matplotlib`):

    /usr/bin/python3 packages/render/scripts/make-references.py

Writes packages/render/test/fixtures/:
  references.json   colormap tables, versions, and the manifest of the binary arrays below
  *.bin             raw little-endian arrays (uint8 or float32, C order), shapes in references.json

Colormaps: OpenCV's applyColorMap on the gray ramp 0..255 (BGR converted to RGB) for JET, VIRIDIS,
INFERNO and TURBO; matplotlib's float tables (256 entries) for viridis, inferno and turbo, plus
matplotlib's own uint8 version (`cmap(x, bytes=True)`, which truncates).

Overlay: pytorch-grad-cam's `show_cam_on_image` re-implemented from its definition (PARITY.md) on a
seeded image and mask. Deprocess: pytorch-grad-cam's `deprocess_image` on a seeded input-space map,
both as the transposed view pytorch-grad-cam passes (CHW memory order) and as a contiguous HWC array.
"""
import json
import os

import cv2
import matplotlib
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')
os.makedirs(OUT, exist_ok=True)
manifest = {}


def save(name, arr):
    arr = np.ascontiguousarray(arr)
    assert arr.dtype in (np.uint8, np.float32), arr.dtype
    with open(os.path.join(OUT, name + '.bin'), 'wb') as f:
        f.write(arr.astype(arr.dtype.newbyteorder('<')).tobytes())
    manifest[name] = {'file': name + '.bin', 'dtype': str(arr.dtype), 'shape': list(arr.shape)}


def show_cam_on_image(img, mask, colormap=cv2.COLORMAP_JET, image_weight=0.5):
    """pytorch-grad-cam's show_cam_on_image(img, mask, use_rgb=True, ...), per PARITY.md."""
    heatmap = cv2.applyColorMap(np.uint8(255 * mask), colormap)
    heatmap = cv2.cvtColor(heatmap, cv2.COLOR_BGR2RGB)
    heatmap = np.float32(heatmap) / 255
    assert np.max(img) <= 1
    cam = (1 - image_weight) * heatmap + image_weight * img
    cam = cam / np.max(cam)
    return np.uint8(255 * cam)


def deprocess_image(img):
    """pytorch-grad-cam's deprocess_image: uint8(255 * clip(0.5 + 0.1 * (v - mean) / (std + 1e-5), 0, 1))."""
    img = img - np.mean(img)
    img = img / (np.std(img) + 1e-5)
    img = img * 0.1
    img = img + 0.5
    img = np.clip(img, 0, 1)
    return np.uint8(img * 255)


# ---- colormaps -------------------------------------------------------------------------------
ramp = np.arange(256, dtype=np.uint8).reshape(1, 256)
CV = {'jet': cv2.COLORMAP_JET, 'viridis': cv2.COLORMAP_VIRIDIS, 'inferno': cv2.COLORMAP_INFERNO,
      'turbo': cv2.COLORMAP_TURBO}
opencv = {}
for name, code in CV.items():
    rgb = cv2.cvtColor(cv2.applyColorMap(ramp, code), cv2.COLOR_BGR2RGB)[0]
    opencv[name] = rgb.astype(int).tolist()

mpl_float = {}
mpl_bytes = {}
for name in ('viridis', 'inferno', 'turbo'):
    cmap = matplotlib.colormaps[name]
    assert cmap.N == 256
    x = np.arange(256)
    mpl_float[name] = [[float(v) for v in row[:3]] for row in cmap(x)]
    mpl_bytes[name] = cmap(x, bytes=True)[:, :3].astype(int).tolist()

# ---- overlay -----------------------------------------------------------------------------------
rng = np.random.default_rng(20261127)
H, W = 48, 64
image = rng.integers(0, 256, size=(H, W, 3), dtype=np.uint8)
yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
blob = np.exp(-((yy - 20) ** 2 + (xx - 40) ** 2) / (2 * 9.0 ** 2)) + 0.6 * np.exp(-((yy - 35) ** 2 + (xx - 12) ** 2) / (2 * 6.0 ** 2))
mask = (blob + 0.05 * rng.random((H, W))).astype(np.float32)
mask = mask - mask.min()  # scaled as pytorch-grad-cam scales a CAM
mask = mask / (1e-7 + mask.max())
mask = mask.astype(np.float32)
save('overlay-image', image)
save('overlay-mask', mask)
rgb_img = np.float32(image) / 255
overlays = []
for cmap_name, weight in (('jet', 0.5), ('jet', 0.3), ('viridis', 0.5), ('turbo', 0.8)):
    out = show_cam_on_image(rgb_img, mask, CV[cmap_name], weight)
    key = f'overlay-{cmap_name}-{weight}'
    save(key, out)
    overlays.append({'colormap': cmap_name, 'imageWeight': weight, 'output': key})

# ---- deprocess ---------------------------------------------------------------------------------
C, DH, DW = 3, 48, 64  # 9216 values: more than numpy's 8192-element reduction buffer
grad = (rng.standard_normal((1, C, DH, DW)) * 2e-3).astype(np.float32)
grad[0, :, 10:20, 30:50] += np.float32(0.01)  # a bright patch
spikes = rng.integers(0, grad.size, size=12)
grad.reshape(-1)[spikes] = np.float32(0.2) * np.sign(rng.standard_normal(12)).astype(np.float32)  # outliers that clip
save('deprocess-input-nchw', grad)
# pytorch-grad-cam: output[0].transpose(1, 2, 0), a view whose memory order is still CHW
save('deprocess-nchw', deprocess_image(grad[0].transpose(1, 2, 0)))
nhwc = np.ascontiguousarray(grad.transpose(0, 2, 3, 1))
save('deprocess-input-nhwc', nhwc)
save('deprocess-nhwc', deprocess_image(nhwc[0]))

refs = {
    'generator': 'packages/render/scripts/make-references.py',
    'versions': {'opencv': cv2.__version__, 'matplotlib': matplotlib.__version__, 'numpy': np.__version__},
    'opencv': opencv,
    'matplotlibFloat': mpl_float,
    'matplotlibBytes': mpl_bytes,
    'overlays': overlays,
    'arrays': manifest,
}
with open(os.path.join(OUT, 'references.json'), 'w') as f:
    json.dump(refs, f, separators=(',', ':'))
    f.write('\n')
print('wrote', len(manifest), 'arrays to', os.path.normpath(OUT))
