import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrtRuntime, OrtSession } from '@gradscope/backend-onnx';

/** One node's kernel time in an onnxruntime profile. */
export interface KernelEvent {
  readonly node: string;
  readonly opType: string;
  readonly us: number;
}

/**
 * Reads the kernel events (`cat: 'Node'`, `*_kernel_time`) and the number of runs (`model_run`)
 * from the JSON trace that onnxruntime writes when a session has `enableProfiling`.
 */
export function readProfile(trace: readonly Record<string, unknown>[]): { runs: number; kernels: KernelEvent[] } {
  let runs = 0;
  const kernels: KernelEvent[] = [];
  for (const e of trace) {
    if (e['cat'] === 'Session' && e['name'] === 'model_run') runs++;
    const name = String(e['name'] ?? '');
    if (e['cat'] !== 'Node' || !name.endsWith('_kernel_time')) continue;
    const args = (e['args'] ?? {}) as Record<string, unknown>;
    kernels.push({
      node: name.slice(0, -'_kernel_time'.length),
      opType: String(args['op_name'] ?? '?'),
      us: Number(e['dur'] ?? 0),
    });
  }
  return { runs, kernels };
}

/** Milliseconds per run by operator type (ONNX Runtime's own names: Conv, ReorderOutput, …), largest first. */
export function byOpType(p: { runs: number; kernels: readonly KernelEvent[] }): Array<[string, number]> {
  const t = new Map<string, number>();
  for (const k of p.kernels) t.set(k.opType, (t.get(k.opType) ?? 0) + k.us);
  return [...t].map(([op, us]): [string, number] => [op, us / 1000 / Math.max(1, p.runs)]).sort((a, b) => b[1] - a[1]);
}

/**
 * Wraps onnxruntime-node so that every session it creates profiles its runs into a fresh temporary
 * folder; `traces()` ends profiling (released sessions wrote theirs on release) and returns each
 * session's trace in creation order.
 */
export function profilingRuntime(ort: OrtRuntime): {
  ort: OrtRuntime;
  traces(): Array<Record<string, unknown>[]>;
  dispose(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'gradscope-profile-'));
  const sessions: Array<{ session: OrtSession & { endProfiling?(): void }; prefix: string }> = [];
  const wrapped: OrtRuntime = {
    Tensor: ort.Tensor,
    ...(ort.env ? { env: ort.env } : {}),
    InferenceSession: {
      async create(model, options = {}) {
        const prefix = join(dir, `s${sessions.length}`);
        const session = await ort.InferenceSession.create(model, {
          ...options,
          enableProfiling: true,
          profileFilePrefix: prefix,
        });
        sessions.push({ session, prefix });
        return session;
      },
    },
  };
  return {
    ort: wrapped,
    traces() {
      return sessions.map(({ session, prefix }) => {
        try {
          session.endProfiling?.();
        } catch {
          // a released session wrote its trace when it was released
        }
        const base = prefix.slice(dir.length + 1);
        const file = readdirSync(dir)
          .filter((f) => f.startsWith(`${base}_`))
          .sort()
          .at(-1);
        return file && existsSync(join(dir, file))
          ? (JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>[])
          : [];
      });
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
