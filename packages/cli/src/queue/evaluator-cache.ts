import { loadPlugins } from '../plugins.js';
import type { EvaluationSpec } from '../evaluate/evaluation-spec.js';
import { loadEvaluator, type LoadedEvaluator } from '../evaluate/load-evaluator.js';
import type { Wiring } from '../wiring.js';

/**
 * Loaded models of a queue worker, keyed by the spec's content hash: each model is loaded once per
 * process and reused by every job of its audit. Keeps the `keep` most recently used (each holds a
 * model in memory); older ones are disposed.
 */
export function evaluatorCache(wiring: Wiring, cwd: string, keep = 2) {
  const loaded = new Map<string, Promise<LoadedEvaluator>>();
  const withPlugins = async (spec: EvaluationSpec): Promise<Wiring> => {
    if (!spec.plugins.length) return wiring;
    const p = await loadPlugins(spec.plugins, cwd);
    return {
      ...wiring,
      methods: [...wiring.methods, ...p.methods],
      metrics: [...(wiring.metrics ?? []), ...p.metrics],
    };
  };
  return {
    get(key: string, spec: EvaluationSpec): Promise<LoadedEvaluator> {
      let ev = loaded.get(key);
      if (ev) loaded.delete(key); // re-inserted below as the most recent
      ev ??= withPlugins(spec).then((w) => loadEvaluator(spec, w));
      loaded.set(key, ev);
      ev.catch(() => loaded.delete(key)); // a failed load is retried by the next job
      while (loaded.size > keep) {
        const [oldest, old] = loaded.entries().next().value!;
        loaded.delete(oldest);
        void old.then((e) => e.dispose()).catch(() => {});
      }
      return ev;
    },
    async dispose(): Promise<void> {
      const all = [...loaded.values()];
      loaded.clear();
      await Promise.all(all.map((p) => p.then((e) => e.dispose()).catch(() => {})));
    },
  };
}
