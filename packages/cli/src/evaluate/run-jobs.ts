import type { EvaluationJob, EvaluationRecord } from './evaluation-spec.js';
import type { JobRunner } from './job-runner.js';

/**
 * Runs `jobs` on `runner`, `runner.slots` at a time, and hands each job's records to `done` in job
 * order (a job that finishes early waits for the ones before it), so the output does not depend on
 * the number of workers. The first failure stops new jobs and is thrown once running ones settle.
 */
export async function runJobs(
  jobs: readonly EvaluationJob[],
  runner: JobRunner,
  done: (records: EvaluationRecord[], job: EvaluationJob) => void,
): Promise<void> {
  const finished = new Map<number, EvaluationRecord[]>();
  let next = 0;
  let flushed = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (next < jobs.length && !failure) {
      const i = next++;
      try {
        finished.set(i, await runner.run(jobs[i]!));
      } catch (error) {
        failure ??= { error };
        return;
      }
      try {
        for (let r = finished.get(flushed); r && !failure; r = finished.get(flushed)) {
          finished.delete(flushed);
          done(r, jobs[flushed++]!);
        }
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, runner.slots) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}
