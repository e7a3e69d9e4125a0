"""Reference numbers for the sanity-check similarities (test/fixtures/sanity-reference.json).

Run with Debian's python3-skimage (apt-get install python3-skimage), not needed by CI:
    /usr/bin/python3 packages/metrics/scripts/sanity-reference.py
The maps are closed-form patterns that test/sanity-maps.ts rebuilds in float64; the numbers are
scipy's spearmanr and pearsonr and skimage's structural_similarity and hog, called as Adebayo et al.'s
notebooks call them (SSIM with gaussian_weights=True, and with skimage's defaults; HOG with
pixels_per_cell=(16, 16)); the HOG similarity is the paper's Pearson correlation of the features.
"""
import json
import os

import numpy as np
import scipy
import skimage
from scipy.stats import pearsonr, spearmanr
from skimage.feature import hog
from skimage.metrics import structural_similarity


def pattern(name, h, w):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    if name == "wave":
        return np.sin(x / 5) * np.cos(y / 7) + 0.3 * np.sin((x + y) / 11)
    if name == "wave2":
        return np.sin(x / 6 + 0.4) * np.cos(y / 5) + 0.2 * np.cos((x - 2 * y) / 9)
    if name == "relu-wave":
        return np.maximum(0, pattern("wave", h, w))
    if name == "steps":  # many ties
        return np.floor(np.maximum(0, pattern("wave", h, w)) * 4) / 4
    if name == "blob":
        return np.exp(-((x - 20) ** 2 + (y - 30) ** 2) / 50)
    raise ValueError(name)


def norm01(m):
    lo, hi = m.min(), m.max()
    return (m - lo) / (hi - lo) if hi > lo else np.zeros_like(m)


def similarities(a, b):
    a01, b01 = norm01(a), norm01(b)
    hog_a = hog(a01, pixels_per_cell=(16, 16))
    hog_b = hog(b01, pixels_per_cell=(16, 16))
    return {
        "spearman": float(spearmanr(a.ravel(), b.ravel())[0]),
        "spearmanAbs": float(spearmanr(np.abs(a).ravel(), np.abs(b).ravel())[0]),
        "ssimGaussian": float(structural_similarity(a01, b01, gaussian_weights=True, data_range=1.0)),
        "ssimUniform": float(structural_similarity(a01, b01, data_range=1.0)),
        "hog": float(pearsonr(hog_a, hog_b)[0]),
    }


PAIRS = [("wave", "wave2"), ("relu-wave", "steps"), ("wave2", "blob"), ("steps", "blob"), ("wave", "relu-wave")]
SIZES = [(64, 64), (56, 50), (70, 81)]

cases = []
for h, w in SIZES:
    for a, b in PAIRS:
        cases.append({"a": a, "b": b, "height": h, "width": w, **similarities(pattern(a, h, w), pattern(b, h, w))})
features = {
    f"{name}-{h}x{w}": hog(norm01(pattern(name, h, w)), pixels_per_cell=(16, 16)).tolist()
    for name in ["wave", "steps"]
    for h, w in SIZES
}
out = {
    "generator": f"scripts/sanity-reference.py (skimage {skimage.__version__}, scipy {scipy.__version__}, numpy {np.__version__})",
    "cases": cases,
    "hog": features,
}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "sanity-reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")
