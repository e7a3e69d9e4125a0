import { DuplicateRegistrationError } from '@gradscope/core';
import type { GradRule } from './grad-rule.js';

const key = (opType: string, domain = '') => `${domain === 'ai.onnx' ? '' : domain}::${opType}`;

/** Gradient rules indexed by (domain, op type). Registering a different rule for an op throws. */
export class GradRuleRegistry {
  private readonly rules = new Map<string, GradRule>();

  constructor(rules: Iterable<GradRule> = []) {
    for (const r of rules) this.register(r);
  }

  /** Adds a rule; the same rule twice is a no-op, a different rule for the same op throws. */
  register(rule: GradRule): void {
    const k = key(rule.opType, rule.domain);
    const have = this.rules.get(k);
    if (have && have !== rule) throw new DuplicateRegistrationError('gradient rule', k.replace(/^::/, ''));
    this.rules.set(k, rule);
  }

  get(opType: string, domain = ''): GradRule | undefined {
    return this.rules.get(key(opType, domain));
  }

  /** Op types with a rule, sorted. */
  list(): string[] {
    return [...this.rules.keys()].map((k) => k.replace(/^::/, '')).sort();
  }
}

/** Registers `rule` in `registry` (the function form third parties call). */
export function registerGradRule(registry: GradRuleRegistry, rule: GradRule): void {
  registry.register(rule);
}
