#!/usr/bin/python3
"""Captum's infidelity and sensitivity_max on the conformance fixture `tiny-cnn`, with perturbations drawn
from NumPy seeds and saved, so that gradscope's test injects the very same draws (captum-parity.test.ts).

Only needed to REGENERATE the committed references. Run with Debian's Python (torch 1.13, numpy, scipy,
python3-opencv), giving a directory that holds Captum's `captum/` package, e.g. from the fetched mirror:

    git --git-dir /work/.mirror/pytorch+captum/repo archive HEAD captum | tar x -C /tmp/captum-src
    /usr/bin/python3 packages/metrics/scripts/make-captum-references.py /tmp/captum-src [captum-commit]

Writes packages/metrics/test/fixtures/captum/:
  infidelity-perturbations.npy   (S, 3, 32, 32) float32, N(0, 0.003²)  (np.random.seed(0))
  sensitivity-perturbations.npy  (S, 3, 32, 32) float32, U(−0.02, 0.02) (np.random.seed(1)), Captum's
                                  default_perturb_func's distribution and radius
  references.json                the values, the model's class, the inputs used

The model is tiny-cnn rebuilt with the conformance script's classes and loaded from its committed
weights (checked against its committed logits); the explanation is pytorch-grad-cam's Grad-CAM at relu3
as the conformance script computes it (its golden `gradcam-relu3.npy` for x0).
"""
import importlib.util
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.join(HERE, '..', '..', 'conformance')
FIX = os.path.join(CONF, 'fixtures', 'tiny-cnn')
OUT = os.path.join(HERE, '..', 'test', 'fixtures', 'captum')
SAMPLES = 8
CHUNK = 3  # max_examples_per_batch: Captum calls perturb_func on chunks of 3, 3, 2


def load_conformance_script():
    sys.path.insert(0, os.path.join(CONF, 'scripts'))
    spec = importlib.util.spec_from_file_location('make_fixtures', os.path.join(CONF, 'scripts', 'make-fixtures.py'))
    mf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mf)
    return mf


def load_model(mf):
    model = mf.SPECS['tiny-cnn']['make']()
    state = model.state_dict()
    wdir = os.path.join(FIX, 'weights')
    for f in os.listdir(wdir):
        state[f[:-4]].copy_(torch.from_numpy(np.load(os.path.join(wdir, f))))
    model.eval()
    return model


class Draws:
    """A perturb_func that hands out the saved draws in order, whatever chunks Captum asks for."""

    def __init__(self, draws):
        self.draws = torch.from_numpy(draws)
        self.used = 0

    def take(self, n):
        d = self.draws[self.used:self.used + n]
        self.used += n
        assert d.shape[0] == n, 'Captum asked for more draws than were saved'
        return d


def main():
    captum_dir = sys.argv[1]
    commit = sys.argv[2] if len(sys.argv) > 2 else 'unknown'
    sys.path.insert(0, captum_dir)
    from captum.metrics import infidelity, sensitivity_max

    mf = load_conformance_script()
    model = load_model(mf)
    x = torch.from_numpy(np.load(os.path.join(FIX, 'inputs', 'x0.npy')))
    with torch.no_grad():
        logits = model(x).numpy()
    golden = np.load(os.path.join(FIX, 'golden', 'x0', 'logits.npy'))
    assert np.abs(logits - golden).max() < 1e-5, 'the rebuilt model does not reproduce the fixture logits'
    c = int(logits[0].argmax())
    cam = np.load(os.path.join(FIX, 'golden', 'x0', 'top1', 'gradcam-relu3.npy'))
    dx = np.load(os.path.join(FIX, 'golden', 'x0', 'top1', 'dx-standard.npy'))

    np.random.seed(0)
    noise = np.random.normal(0, 0.003, (SAMPLES, 3, 32, 32)).astype(np.float32)
    np.random.seed(1)
    delta = np.random.uniform(-0.02, 0.02, (SAMPLES, 3, 32, 32)).astype(np.float32)
    os.makedirs(OUT, exist_ok=True)
    np.save(os.path.join(OUT, 'infidelity-perturbations.npy'), noise)
    np.save(os.path.join(OUT, 'sensitivity-perturbations.npy'), delta)

    def infid(attr, normalize):
        draws = Draws(noise)

        def perturb(inputs):  # Captum's docstring example: (noise, inputs − noise), noise not scaled by inputs
            n = draws.take(inputs.shape[0])
            return n, inputs - n

        v = infidelity(model, perturb, x, torch.from_numpy(attr), target=c, n_perturb_samples=SAMPLES,
                       max_examples_per_batch=CHUNK, normalize=normalize)
        assert draws.used == SAMPLES
        return float(v[0])

    map3 = np.broadcast_to(cam[None, None], (1, 3, 32, 32)).copy()  # the map on every channel
    refs = {
        'captum': commit,
        'torch': torch.__version__,
        'fixture': 'tiny-cnn',
        'input': 'x0',
        'class': c,
        'samples': SAMPLES,
        'noise': 0.003,
        'radius': 0.02,
        'infidelity': {
            'map': {'normalize': infid(map3, True), 'raw': infid(map3, False)},
            'dx': {'normalize': infid(dx, True), 'raw': infid(dx, False)},
        },
    }

    target = {'kind': 'class', 'index': c}

    def gradcam(inputs, **_kwargs):
        if isinstance(inputs, tuple):  # Captum passes the unperturbed input as a 1-tuple and wants
            return (gradcam(inputs[0]),)  # a tuple back (as an attribution method's `attribute` does)
        maps = []
        for row in inputs:
            with torch.enable_grad():  # Captum runs the explanation under no_grad
                _, _, acts, grads, _ = mf.capture(model, row[None], target, ['relu3'])
            maps.append(mf.cam_from_raw(mf.cam_raw('gradcam', acts['relu3'], grads['relu3'])))
        return torch.from_numpy(np.stack(maps))

    assert np.abs(gradcam(x)[0].numpy() - cam).max() < 1e-6, 'Grad-CAM does not reproduce the golden map'
    draws = Draws(delta)
    sens = sensitivity_max(gradcam, x, perturb_func=lambda inputs: inputs + draws.take(inputs.shape[0]),
                           n_perturb_samples=SAMPLES, max_examples_per_batch=CHUNK)
    assert draws.used == SAMPLES
    refs['sensitivityMax'] = float(sens[0])
    with open(os.path.join(OUT, 'references.json'), 'w') as f:
        json.dump(refs, f, indent=2)
        f.write('\n')
    print(json.dumps(refs, indent=2))


if __name__ == '__main__':
    main()
