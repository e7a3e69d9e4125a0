#!/usr/bin/python3
"""Deletion and insertion curves on the conformance fixture `tiny-cnn` as RISE's reference evaluation
(eclique/RISE, evaluation.py: `gkern`, `auc`, `CausalMetric.single_run`) computes them, written from its
description for rise-parity.test.ts. Run with Debian's Python (torch 1.13, numpy, scipy, python3-opencv):

    /usr/bin/python3 packages/metrics/scripts/make-rise-references.py

RISE's recipe: the network wrapped in a softmax, the class its top-1; n = ceil(HW / step) steps; before each
step and after the last, the class's probability; at step i the pixels salient_order[step·i : step·(i+1)]
(all channels) are copied from `finish` into `start` (deletion: image → zeros; insertion: blur → image,
blur = conv2d with gkern(11, 5), padding 5); AUC = (Σy − y₀/2 − yₙ/2) / n. One deliberate difference:
RISE orders pixels by `np.flip(np.argsort(map))`, whose order among equal values is unspecified; this
script (like gradscope) takes ties in row-major order, a stable sort of −map. Grad-CAM maps are 0 on
many pixels, so the tie order matters once the positive part of the map has been changed.
Writes packages/metrics/test/fixtures/rise/references.json.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from scipy.ndimage import gaussian_filter

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, '..', '..', 'conformance', 'fixtures', 'tiny-cnn')
OUT = os.path.join(HERE, '..', 'test', 'fixtures', 'rise')
STEP = 8


def gkern(klen, nsig):
    inp = np.zeros((klen, klen))
    inp[klen // 2, klen // 2] = 1
    k = gaussian_filter(inp, nsig)
    kern = np.zeros((3, 3, klen, klen))
    for c in range(3):
        kern[c, c] = k
    return torch.from_numpy(kern.astype('float32'))


def auc(y):
    return float((y.sum() - y[0] / 2 - y[-1] / 2) / (len(y) - 1))


def curve(model, img, sal, mode, substrate):
    HW = sal.size
    with torch.no_grad():
        c = int(model(img).argmax())
        n = (HW + STEP - 1) // STEP
        start, finish = (img.clone(), substrate(img)) if mode == 'del' else (substrate(img), img.clone())
        order = np.argsort(-sal.reshape(-1), kind='stable')
        ys = []
        for i in range(n + 1):
            ys.append(float(torch.softmax(model(start), dim=1)[0, c]))
            if i < n:
                coords = order[STEP * i:STEP * (i + 1)]
                start.view(1, 3, HW)[0, :, coords] = finish.view(1, 3, HW)[0, :, coords]
    ys = np.array(ys)
    return {'class': c, 'y': ys.tolist(), 'auc': auc(ys)}


def main():
    import importlib.util
    import sys
    conf_scripts = os.path.join(HERE, '..', '..', 'conformance', 'scripts')
    sys.path.insert(0, conf_scripts)
    spec = importlib.util.spec_from_file_location('make_fixtures', os.path.join(conf_scripts, 'make-fixtures.py'))
    mf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mf)
    model = mf.SPECS['tiny-cnn']['make']()
    state = model.state_dict()
    for f in os.listdir(os.path.join(FIX, 'weights')):
        state[f[:-4]].copy_(torch.from_numpy(np.load(os.path.join(FIX, 'weights', f))))
    model.eval()
    x = torch.from_numpy(np.load(os.path.join(FIX, 'inputs', 'x0.npy')))
    with torch.no_grad():
        assert np.abs(model(x).numpy() - np.load(os.path.join(FIX, 'golden', 'x0', 'logits.npy'))).max() < 1e-5
    sal = np.load(os.path.join(FIX, 'golden', 'x0', 'top1', 'gradcam-relu3.npy'))
    kern = gkern(11, 5)
    blur = lambda t: F.conv2d(t, kern, padding=11 // 2)  # noqa: E731
    refs = {
        'fixture': 'tiny-cnn', 'input': 'x0', 'map': 'golden/x0/top1/gradcam-relu3.npy', 'step': STEP,
        'deletion': curve(model, x, sal, 'del', torch.zeros_like),
        'insertion': curve(model, x, sal, 'ins', blur),
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'references.json'), 'w') as f:
        json.dump(refs, f, indent=1)
        f.write('\n')
    print({k: (v['auc'] if isinstance(v, dict) else v) for k, v in refs.items()})


if __name__ == '__main__':
    main()
