#!/usr/bin/python3
"""scikit-learn NMF references (init='random', random_state=0: what pytorch-grad-cam's DFF calls) and NumPy
RandomState(0) draws, for core's nmf and LegacyRandomState. Run with Debian's Python (scikit-learn 1.2):

    /usr/bin/python3 packages/core/scripts/make-nmf-golden.py   (writes packages/core/test/fixtures/nmf.json)
"""
import json
import os

import numpy as np
import sklearn
from sklearn.decomposition import NMF

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'nmf.json')


def main():
    rs = np.random.RandomState(0)
    draws = {'uint32': [int(v) for v in np.random.RandomState(0).randint(0, 2**32, size=4, dtype=np.uint64)],
             'random_sample': np.random.RandomState(0).random_sample(5).tolist(),
             'standard_normal': np.random.RandomState(0).standard_normal(7).tolist()}
    rng = np.random.default_rng(3)
    cases = []
    for (m, n, k) in [(6, 9, 2), (32, 49, 5)]:
        X = np.abs(rng.standard_normal((m, n))) * (rng.random((m, n)) > 0.3)
        for dtype in (np.float64, np.float32):
            Xd = X.astype(dtype)
            model = NMF(n_components=k, init='random', random_state=0)
            W = model.fit_transform(Xd)
            H = model.components_
            cases.append({'m': m, 'n': n, 'k': k, 'dtype': np.dtype(dtype).name, 'X': Xd.astype(np.float64).ravel().tolist(),
                          'W': W.astype(np.float64).ravel().tolist(), 'H': H.astype(np.float64).ravel().tolist(),
                          'iterations': int(model.n_iter_)})
    json.dump({'sklearn': sklearn.__version__, 'draws': draws, 'cases': cases}, open(OUT, 'w'))
    print(len(cases), 'cases ->', OUT)


if __name__ == '__main__':
    main()
