#!/usr/bin/python3
"""Cross-checks the committed conformance goldens against pytorch-grad-cam itself, run from a source
checkout (not vendored here: no pip on these machines). The goldens are restatements of pytorch-grad-cam
(make-fixtures.py); this catches a restatement and gradscope sharing a misreading (as the one-layer
final scaling once did).

    /usr/bin/python3 packages/conformance/scripts/check-against-pytorch-grad-cam.py /path/to/pytorch-grad-cam

Needs Debian's python3-torch, python3-opencv, python3-sklearn, python3-tqdm, python3-matplotlib and
python3-scipy. `ttach` (used only for aug_smooth) is not packaged: a minimal stand-in with its
HorizontalFlip × Multiply semantics is installed for the run. Prints the max-abs difference per case;
Eigen-CAM-style maps may differ by LAPACK's arbitrary singular-vector sign (gradscope fixes the sign:
docs/parity.md), every other case should be ≤ 1e-5.
"""
import os
import sys
import tempfile

TTACH_STUB = '''# Minimal stand-in for ttach (not installable here): HorizontalFlip, Multiply, Compose as pytorch-grad-cam uses them.
import itertools
import torch

class HorizontalFlip:
    params = [False, True]
    def apply_aug_image(self, x, apply): return torch.flip(x, dims=[3]) if apply else x
    def apply_deaug_mask(self, m, apply): return torch.flip(m, dims=[3]) if apply else m

class Multiply:
    def __init__(self, factors): self.params = factors
    def apply_aug_image(self, x, factor): return x * factor
    def apply_deaug_mask(self, m, factor): return m

class _T:
    def __init__(self, parts): self.parts = parts
    def augment_image(self, x):
        for t, p in self.parts: x = t.apply_aug_image(x, p)
        return x
    def deaugment_mask(self, m):
        for t, p in reversed(self.parts): m = t.apply_deaug_mask(m, p)
        return m

class Compose:
    def __init__(self, transforms):
        self.items = [_T(list(zip(transforms, ps))) for ps in itertools.product(*[t.params for t in transforms])]
    def __iter__(self): return iter(self.items)
'''

PGC = sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__)
_stub = tempfile.mkdtemp(prefix='ttach-stub-')
os.makedirs(os.path.join(_stub, 'ttach'))
open(os.path.join(_stub, 'ttach', '__init__.py'), 'w').write(TTACH_STUB)
sys.path[:0] = [PGC, _stub]
import importlib.util
import json
import numpy as np, torch
spec = importlib.util.spec_from_file_location('mf', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'make-fixtures.py'))
mf = importlib.util.module_from_spec(spec); spec.loader.exec_module(mf)
from pytorch_grad_cam import (GradCAM, GradCAMPlusPlus, XGradCAM, HiResCAM, GradCAMElementWise, LayerCAM, EigenCAM,
                              EigenGradCAM, KPCA_CAM, FEM, FinerCAM, ScoreCAM)
from pytorch_grad_cam.refine_cam import RefineCAM
from pytorch_grad_cam.seg_eigen_cam import SegEigenCAM
from pytorch_grad_cam.shapley_cam import ShapleyCAM
from pytorch_grad_cam.fullgrad_cam import FullGrad
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget, ClassifierOutputSoftmaxTarget
torch.set_num_threads(1)
FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'tiny-cnn')
man = json.load(open(f'{FIX}/manifest.json'))
model = mf.SPECS['tiny-cnn']['make']()
mods = dict(model.named_modules())
x = torch.from_numpy(np.load(f'{FIX}/inputs/x0.npy'))
top1 = int(model(x).argmax())
worst = {}
def check(name, got, golden_rel, up_to_sign=False):
    g = np.load(f'{FIX}/{golden_rel}')
    d = np.abs(got - g).max()
    if up_to_sign: d = min(d, np.abs(-got - g).max())
    worst[name] = float(d)
for c in man['methods']:
    if c['input'] != 'x0' or not c.get('map'): continue
    m, L = c['method'], c['layers']
    cls = {'gradcam': GradCAM, 'gradcam-plusplus': GradCAMPlusPlus, 'xgradcam': XGradCAM, 'hirescam': HiResCAM,
           'gradcam-elementwise': GradCAMElementWise, 'layercam': LayerCAM, 'eigencam': EigenCAM, 'eigengradcam': EigenGradCAM,
           'kpca-cam': KPCA_CAM, 'fem': FEM, 'seg-eigen-cam': SegEigenCAM, 'scorecam': ScoreCAM,
           'shapley-cam': ShapleyCAM, 'fullgrad': FullGrad}.get(m)
    t = c['target']
    if t not in ('top1', 'class2', 'softmax'): continue
    if 'tfjs' not in c.get('backends', ['tfjs']): continue  # an ONNX-only restatement (BN folded)
    tgt = [ClassifierOutputSoftmaxTarget(top1)] if t == 'softmax' else [ClassifierOutputTarget(2 if t == 'class2' else top1)]
    opts = c.get('options', {})
    if m == 'finer-cam':
        got = FinerCAM(model, [mods[l] for l in L])(x, targets=None)[0]
    elif m == 'refine-cam':
        got = RefineCAM(model, [mods[l] for l in L])(x, targets=tgt)[0]
    elif cls is None: continue
    else:
        if cls is ScoreCAM: continue
        cam = cls(model, [mods[l] for l in L])
        got = cam(x, targets=None if opts.get('augSmooth') else tgt, eigen_smooth=opts.get('eigenSmooth', False), aug_smooth=opts.get('augSmooth', False))[0]
    key = f"{m} {t} {'+'.join(L)} {json.dumps(opts) if opts else ''}"
    check(key, got, c['map'], up_to_sign=m in ('eigencam', 'eigengradcam') or opts.get('eigenSmooth', False))
for k, v in sorted(worst.items(), key=lambda kv: -kv[1]): print(f'{v:.2e}  {k}')
