#!/usr/bin/python3
"""Computes the references of gradscope's pytorch-grad-cam metrics with pytorch-grad-cam's own code.

    /usr/bin/python3 packages/metrics/scripts/make-references.py /path/to/pytorch-grad-cam [its commit]

(the committed references: pytorch-grad-cam 1.5.5, commit 084273b3f30b54ad0c64cf8020a4337d979a66e0, with
Debian's torch 1.13, numpy 1.24.2, scipy 1.10.1.)

Needs Debian's python3-torch, python3-numpy, python3-scipy, python3-opencv (and what pytorch-grad-cam's
package __init__ imports: sklearn, tqdm, matplotlib). `ttach` is not packaged here: a stand-in that
raises if used is put on the path (only aug_smooth uses it; nothing here does).

For each case (a conformance fixture, one of its inputs, a logit or softmax target on the top-1 class)
it takes the map from pytorch-grad-cam's GradCAM on the fixture's last CAM layer, then runs
pytorch-grad-cam's CamMultImageConfidenceChange, DropInConfidence, IncreaseInConfidence,
ROADMostRelevantFirst / ROADLeastRelevantFirst at each percentile and ROADCombined, all unchanged except
NoisyLinearImputer's default noise, set to 0 (gradscope's `noise: 0`) so the numbers are exact. It also
stores the imputed images of one case (the sparse system's solution from scipy's spsolve) and the
number of imputed pixels per percentile. Writes packages/metrics/test/fixtures/pgc-references.json;
arrays are base64 of little-endian float32.
"""
import base64
import importlib.util
import json
import os
import sys
import tempfile

PGC = sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__)
HERE = os.path.dirname(os.path.abspath(__file__))
CONFORMANCE = os.path.join(HERE, '..', '..', 'conformance')
OUT = os.path.join(HERE, '..', 'test', 'fixtures', 'pgc-references.json')

_stub = tempfile.mkdtemp(prefix='ttach-stub-')
os.makedirs(os.path.join(_stub, 'ttach'))
with open(os.path.join(_stub, 'ttach', '__init__.py'), 'w') as f:
    f.write('class _Unused:  # built by BaseCAM.__init__, used only by aug_smooth\n'
            '    def __init__(self, *a, **k): pass\n'
            '    def __iter__(self): raise RuntimeError("ttach stand-in: aug_smooth is not used here")\n'
            'HorizontalFlip = Multiply = Compose = _Unused\n')
sys.path[:0] = [PGC, _stub, os.path.join(CONFORMANCE, 'scripts')]

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import torch  # noqa: E402

_spec = importlib.util.spec_from_file_location('mf', os.path.join(CONFORMANCE, 'scripts', 'make-fixtures.py'))
mf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mf)

from pytorch_grad_cam import GradCAM  # noqa: E402
from pytorch_grad_cam.metrics import road  # noqa: E402
from pytorch_grad_cam.metrics.cam_mult_image import (  # noqa: E402
    CamMultImageConfidenceChange, DropInConfidence, IncreaseInConfidence)
from pytorch_grad_cam.metrics.perturbation_confidence import (  # noqa: E402
    RemoveLeastRelevantFirst, RemoveMostRelevantFirst)
from pytorch_grad_cam.utils.model_targets import ClassifierOutputSoftmaxTarget, ClassifierOutputTarget  # noqa: E402

# noise 0: pytorch-grad-cam's ROAD classes build NoisyLinearImputer() with its default noise.
road.NoisyLinearImputer.__init__.__defaults__ = (0.0, road.neighbors_weights)
torch.set_num_threads(1)

# (fixture, input, target kind, CAM layer, ROAD percentiles)
CASES = [
    ('tiny-cnn', 'x0', 'class', 'relu3', [20, 40, 60, 80]),
    ('tiny-cnn', 'x0', 'softmax', 'relu3', [20, 40, 60, 80]),
    ('tiny-cnn', 'x1', 'class', 'block.relu', [10, 35, 50, 90]),
    ('tiny-mobile', 'x0', 'class', 'head.act', [20, 40, 60, 80]),
    ('tiny-mobile', 'x2', 'softmax', 'block', [20, 40, 60, 80]),
]
IMPUTED_CASES = (0,)  # the cases whose imputed images are stored


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype='<f4').tobytes()).decode('ascii')


def model_of(name):
    fx = os.path.join(CONFORMANCE, 'fixtures', name)
    man = json.load(open(os.path.join(fx, 'manifest.json')))
    model = mf.SPECS[name]['make']()
    for inp in man['inputs'].values():  # the seeded rebuild is the committed network
        x = torch.from_numpy(np.load(os.path.join(fx, inp['input'])))
        d = np.abs(model(x).detach().numpy() - np.load(os.path.join(fx, inp['logits']))).max()
        assert d < 1e-5, f'{name}: rebuilt model differs from the fixture by {d}'
    return model, man, fx


def one(m):
    return float(np.asarray(m).reshape(-1)[0])


def case(model, man, fx, i, inp, kind, layer, percentiles):
    x = torch.from_numpy(np.load(os.path.join(fx, man['inputs'][inp]['input'])))
    top1 = int(model(x).argmax())
    target = (ClassifierOutputTarget if kind == 'class' else ClassifierOutputSoftmaxTarget)(top1)
    mods = dict(model.named_modules())
    with GradCAM(model=model, target_layers=[mods[layer]]) as cam:
        grayscale = cam(input_tensor=x, targets=[target])  # [1, H, W] float32
    cams, targets = grayscale, [target]
    with torch.no_grad():
        score = one(target(model(x)[0]).numpy())
    r = {
        'fixture': os.path.basename(fx), 'input': inp, 'target': kind, 'classIndex': top1, 'layer': layer,
        'percentiles': percentiles, 'map': b64(grayscale[0]), 'score': score,
        'camMultImageConfidenceChange': one(CamMultImageConfidenceChange()(x, cams, targets, model)),
        'dropInConfidence': one(DropInConfidence()(x, cams, targets, model)),
        'increaseInConfidence': one(IncreaseInConfidence()(x, cams, targets, model)),
        'roadMostRelevantFirst': {}, 'roadLeastRelevantFirst': {}, 'imputedPixels': {'morf': {}, 'lerf': {}},
        'roadCombined': one(road.ROADCombined(percentiles=percentiles)(x, cams, targets, model)),
    }
    if i in IMPUTED_CASES:
        r['imputed'] = {'morf': {}, 'lerf': {}}
    mask = torch.from_numpy(grayscale[0])
    for p in percentiles:
        r['roadMostRelevantFirst'][str(p)] = one(road.ROADMostRelevantFirst(p)(x, cams, targets, model))
        r['roadLeastRelevantFirst'][str(p)] = one(road.ROADLeastRelevantFirst(p)(x, cams, targets, model))
        for key, remove, m in (('morf', RemoveMostRelevantFirst, mask), ('lerf', RemoveLeastRelevantFirst, 1 - mask)):
            t = np.percentile(m.numpy(), p)
            r['imputedPixels'][key][str(p)] = int((~(m < t)).sum())
            if i in IMPUTED_CASES:
                r['imputed'][key][str(p)] = b64(remove(p, road.NoisyLinearImputer())(x[0], mask).numpy())
    return r


def main():
    cache, out = {}, []
    for i, (name, inp, kind, layer, percentiles) in enumerate(CASES):
        if name not in cache:
            cache[name] = model_of(name)
        out.append(case(*cache[name], i, inp, kind, layer, percentiles))
        print(name, inp, kind, {k: v for k, v in out[-1].items() if k.startswith(('cam', 'drop', 'incr', 'road'))})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump({'generator': 'packages/metrics/scripts/make-references.py (pytorch-grad-cam, noise 0)',
                   'pytorchGradCam': {'commit': sys.argv[2] if len(sys.argv) > 2 else None, 'numpy': np.__version__,
                                      'torch': torch.__version__, 'scipy': scipy.__version__},
                   'imputedCases': IMPUTED_CASES, 'cases': out}, f, indent=1)
        f.write('\n')


main()
