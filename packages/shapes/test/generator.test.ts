import { describe, expect, it } from 'vitest';
import {
  BACKGROUND_STYLES,
  createShapesGenerator,
  DEFAULT_CLASSES,
  distanceToSegment,
  mulberry32,
  SHAPE_CLASSES,
  type ShapeSample,
} from '../src/index.js';

const pixel = (s: ShapeSample, i: number) => [s.image[i * 4]!, s.image[i * 4 + 1]!, s.image[i * 4 + 2]!] as const;
const area = (s: ShapeSample) => s.mask.reduce((a, b) => a + b, 0);

describe('mulberry32', () => {
  it('matches an independent Python implementation of the algorithm', () => {
    // Computed with a 12-line Python port (uint32 arithmetic by masking), not with this code.
    const a = mulberry32(0),
      b = mulberry32(42);
    [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197, 0.1462021479383111].forEach((v) =>
      expect(a.next()).toBeCloseTo(v, 12),
    );
    [0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693].forEach((v) =>
      expect(b.next()).toBeCloseTo(v, 12),
    );
  });

  it('is uniform enough: χ² over 10 bins of 20 000 draws', () => {
    const r = mulberry32(7),
      bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 20000; i++) bins[Math.floor(r.next() * 10)]!++;
    const chi2 = bins.reduce((s, c) => s + (c - 2000) ** 2 / 2000, 0);
    expect(chi2).toBeLessThan(27.9); // p = 0.001 for 9 degrees of freedom
  });
});

describe('createShapesGenerator', () => {
  it('is deterministic per (seed, index) and supports random access', () => {
    const a = createShapesGenerator({ seed: 5 }),
      b = createShapesGenerator({ seed: 5 });
    const s1 = a.sample(17),
      s2 = b.sample(17);
    expect(s2.image).toEqual(s1.image);
    expect(s2.mask).toEqual(s1.mask);
    expect(s2.label).toBe(s1.label);
    expect(b.samples(4, 15)[2]!.image).toEqual(s1.image);
    // A different seed or index gives a different image.
    expect(createShapesGenerator({ seed: 6 }).sample(17).image).not.toEqual(s1.image);
    expect(a.sample(18).image).not.toEqual(s1.image);
  });

  it('draws RGBA images of the requested size with a binary mask', () => {
    const s = createShapesGenerator({ size: 40, seed: 1 }).sample(0);
    expect([s.width, s.height, s.image.length, s.mask.length]).toEqual([40, 40, 40 * 40 * 4, 40 * 40]);
    for (let i = 0; i < 40 * 40; i++) expect(s.image[i * 4 + 3]).toBe(255);
    expect(new Set(s.mask)).toEqual(new Set([0, 1]));
  });

  it('masks exactly the pixels drawn in the object colour, which contrasts with the background', () => {
    const gen = createShapesGenerator({ seed: 11, noise: 6, minContrast: 90 });
    let objectPixels = 0,
      bad = 0;
    for (const s of gen.samples(70)) {
      const [c1, c2] = s.backgroundColors;
      expect(distanceToSegment(s.objectColor, c1, c2)).toBeGreaterThanOrEqual(90);
      for (let i = 0; i < s.width * s.height; i++) {
        const p = pixel(s, i);
        if (s.mask[i]) {
          // Object pixels: the object colour plus at most ±6 noise per channel.
          objectPixels++;
          if ([0, 1, 2].some((k) => Math.abs(p[k]! - s.objectColor[k]!) > 6.5)) bad++;
        } else if (distanceToSegment(p, c1, c2) > 6.5 * Math.sqrt(3)) {
          // Background pixels lie (up to noise) on the segment between the two background colours,
          // hence at least 90 − noise away from the object colour.
          bad++;
        }
      }
    }
    expect(objectPixels).toBeGreaterThan(70 * 200);
    expect(bad).toBe(0);
  });

  it('masks have the closed-form area of their shape', () => {
    // Pixel-centre sampling of a disc / square / annulus: the count is the area up to the perimeter.
    const expected: Record<string, (r: number) => number> = {
      circle: (r) => Math.PI * r * r,
      square: (r) => (1.4 * r) ** 2,
      ring: (r) => Math.PI * r * r * (1 - 0.25),
      cross: (r) => 2 * (0.6 * 1.9 * r * r) - 0.6 * 0.6 * r * r,
    };
    const gen = createShapesGenerator({ seed: 3, classes: ['circle', 'square', 'ring', 'cross'], size: 96 });
    for (const s of gen.samples(40)) {
      const want = expected[s.className]!(s.pose.radius);
      expect(Math.abs(area(s) - want) / want).toBeLessThan(0.08);
    }
  });

  it('keeps the object inside the image, centred on its pose', () => {
    for (const s of createShapesGenerator({ seed: 9, classes: ['circle'] }).samples(30)) {
      let sx = 0,
        sy = 0;
      s.mask.forEach((m, i) => {
        if (m) {
          sx += (i % s.width) + 0.5;
          sy += Math.floor(i / s.width) + 0.5;
        }
      });
      expect(sx / area(s)).toBeCloseTo(s.pose.x, 0);
      expect(sy / area(s)).toBeCloseTo(s.pose.y, 0);
      expect(s.pose.x - s.pose.radius).toBeGreaterThanOrEqual(0);
      expect(s.pose.x + s.pose.radius).toBeLessThanOrEqual(s.width);
    }
  });

  it('balances classes: every block of K consecutive indices holds each class once', () => {
    const gen = createShapesGenerator({ seed: 2 });
    const K = DEFAULT_CLASSES.length;
    const samples = gen.samples(K * 30);
    for (let b = 0; b < 30; b++) {
      const labels = samples
        .slice(b * K, (b + 1) * K)
        .map((s) => s.label)
        .sort((x, y) => x - y);
      expect(labels).toEqual([...Array(K).keys()]);
    }
    samples.forEach((s) => expect(s.className).toBe(DEFAULT_CLASSES[s.label]));
  });

  it('draws only the requested classes and backgrounds, in the given label order', () => {
    const gen = createShapesGenerator({ seed: 4, classes: ['star', 'ring'], backgrounds: ['stripes'] });
    expect(gen.classes).toEqual(['star', 'ring']);
    for (const s of gen.samples(20)) {
      expect(s.className).toBe(['star', 'ring'][s.label]);
      expect(s.background).toBe('stripes');
    }
    // With no bias, all five textures occur.
    const seen = new Set(
      createShapesGenerator({ seed: 4 })
        .samples(100)
        .map((s) => s.background),
    );
    expect([...seen].sort()).toEqual([...BACKGROUND_STYLES].sort());
  });

  describe('backgroundBias', () => {
    const homeRate = (bias: number | number[], n = 1050, classes = DEFAULT_CLASSES) => {
      const gen = createShapesGenerator({ seed: 21, backgroundBias: bias, classes });
      const perClass = classes.map(() => ({ home: 0, n: 0 }));
      for (const s of gen.samples(n)) {
        perClass[s.label]!.n++;
        if (s.background === gen.homeBackground(s.label)) perClass[s.label]!.home++;
      }
      return perClass.map((c) => c.home / c.n);
    };

    it('1 ties every class to its own texture', () => {
      expect(homeRate(1, 140)).toEqual(DEFAULT_CLASSES.map(() => 1));
    });

    it('p gives the home texture with probability p + (1 − p)/5', () => {
      const rates = homeRate(0.6);
      const pooled = rates.reduce((a, b) => a + b, 0) / rates.length;
      expect(Math.abs(pooled - (0.6 + 0.4 / 5))).toBeLessThan(0.04); // binomial sd ≈ 0.012
      const none = homeRate(0);
      expect(Math.abs(none.reduce((a, b) => a + b, 0) / none.length - 0.2)).toBeLessThan(0.04);
    });

    it('makes the background predict the class, and per-class values act per class', () => {
      // Predicting the class from the texture alone: chance level without bias, far above with it.
      const predict = (bias: number) => {
        const gen = createShapesGenerator({
          seed: 8,
          backgroundBias: bias,
          classes: ['circle', 'square', 'star', 'cross', 'heart'],
        });
        return gen.samples(500).filter((s) => gen.homeBackground(s.label) === s.background).length / 500;
      };
      expect(predict(0)).toBeLessThan(0.3);
      expect(predict(0.9)).toBeGreaterThan(0.85);
      const rates = homeRate(DEFAULT_CLASSES.map((_, i) => (i === 0 ? 1 : 0)));
      expect(rates[0]).toBe(1);
      expect(Math.max(...rates.slice(1))).toBeLessThan(0.35);
    });
  });

  describe('option validation', () => {
    const bad: [string, object, RegExp][] = [
      ['size too small', { size: 8 }, /'size'.*outside/],
      ['size not an integer', { size: 64.5 }, /'size'.*integer/],
      ['negative seed', { seed: -1 }, /'seed'/],
      ['unknown class', { classes: ['circle', 'blob'] }, /'classes'.*unknown value 'blob'/],
      ['duplicate class', { classes: ['circle', 'circle'] }, /'classes'.*duplicates/],
      ['no classes', { classes: [] }, /'classes'.*non-empty/],
      ['unknown background', { backgrounds: ['plaid'] }, /'backgrounds'.*'plaid'/],
      ['bias above 1', { backgroundBias: 1.5 }, /'backgroundBias'.*outside/],
      [
        'bias per class, wrong length',
        { classes: ['circle', 'ring'], backgroundBias: [0.5] },
        /'backgroundBias'.*one value per class \(2\)/,
      ],
      ['scale reversed', { scale: [0.3, 0.2] }, /'scale'.*above max/],
      ['noise NaN', { noise: Number.NaN }, /'noise'.*number/],
    ];
    it.each(bad)('rejects %s', (_name, options, message) => {
      expect(() => createShapesGenerator(options as never)).toThrow(RangeError);
      expect(() => createShapesGenerator(options as never)).toThrow(message);
    });

    it('rejects a bad sample index', () => {
      expect(() => createShapesGenerator().sample(-1)).toThrow(/non-negative integer/);
      expect(() => createShapesGenerator().sample(1.5)).toThrow(/non-negative integer/);
    });

    it('knows at least five shape classes', () => {
      expect(SHAPE_CLASSES.length).toBeGreaterThanOrEqual(5);
    });
  });
});
