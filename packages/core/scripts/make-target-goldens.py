#!/usr/bin/python3
"""Torch-autograd references for core's targets: the score and d score / d logits of every target kind.

Each kind is written as pytorch-grad-cam writes its target (utils/model_targets.py, restated: no
pip here) and differentiated by torch autograd in float64. Run with Debian's Python:

    /usr/bin/python3 packages/core/scripts/make-target-goldens.py   (writes packages/core/test/fixtures/targets.json)
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'targets.json')


def rest(y, c):  # ClassifierOutputReST: y_c − cross_entropy(y, c)
    return y[c] - torch.nn.functional.cross_entropy(y[None], torch.tensor([c]))


def finer(y, c, alpha, ranks):  # FinerCAM's comparison classes + FinerWeightedTarget
    order = torch.argsort(torch.abs(y.detach() - y.detach()[c]), stable=True)
    js = [int(order[r]) for r in ranks]
    p = torch.softmax(y, dim=-1)
    num = sum(p[j] * (y[c] - alpha * y[j]) for j in js)
    return num / (sum(p[j] for j in js) + 1e-9)


def main():
    g = torch.Generator().manual_seed(11)
    cases = []
    for n in (5, 10):
        y0 = torch.randn(n, generator=g, dtype=torch.float64) * 3
        v = torch.randn(n, generator=g, dtype=torch.float64)
        kinds = [
            ('class', {'index': 2}, lambda y: y[2]),
            ('softmax', {'index': 1}, lambda y: torch.softmax(y, -1)[1]),
            ('rest', {'index': 3}, lambda y: rest(y, 3)),
            ('rest', {}, lambda y: rest(y, int(torch.argmax(y)))),
            ('similarity', {'vector': v.tolist()}, lambda y: torch.nn.functional.cosine_similarity(y, v, dim=0)),
            ('finer', {'index': 0}, lambda y: finer(y, 0, 1.0, [1, 2, 3])),
            ('finer', {'alpha': 0.5, 'ranks': [1, 2]}, lambda y: finer(y, int(torch.argmax(y)), 0.5, [1, 2])),
        ]
        for kind, target, f in kinds:
            y = y0.clone().requires_grad_(True)
            s = f(y)
            s.backward()
            cases.append({'logits': y0.tolist(), 'target': {'kind': kind, **target},
                          'score': float(s), 'seed': y.grad.tolist()})
    y0 = torch.tensor([0.7], dtype=torch.float64)
    for positive in (True, False):
        y = y0.clone().requires_grad_(True)
        s = y[0] * (1 if positive else -1)  # BinaryClassifierOutputTarget
        s.backward()
        cases.append({'logits': y0.tolist(), 'target': {'kind': 'binary', 'positive': positive},
                      'score': float(s), 'seed': y.grad.tolist()})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    json.dump({'torch': torch.__version__, 'cases': cases}, open(OUT, 'w'), indent=1)
    print(len(cases), 'cases ->', OUT)


if __name__ == '__main__':
    main()
