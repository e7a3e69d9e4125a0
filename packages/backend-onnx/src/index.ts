/**
 * gradscope backend for ONNX Runtime: gradients through a generated backward graph.
 *
 * @module @gradscope/backend-onnx
 */
export { createOnnxBackend, type OnnxBackend, type OnnxBackendOptions } from './onnx-backend.js';
export { OnnxModel } from './onnx-model.js';
export type { OrtRuntime, OrtSession, OrtTensor } from './ort-types.js';
export { defineGradRule, type GradContext, type GradRule } from './grad/grad-rule.js';
export { GradRuleRegistry, registerGradRule } from './grad/grad-registry.js';
export { builtinGradRules } from './grad/rules/index.js';
export { reluBackward } from './grad/relu-backward.js';
export { buildBackward } from './grad/build-backward.js';
export { gradientPath } from './grad/gradient-path.js';
export type { BackwardModel, BackwardRequest } from './grad/backward-model.js';
export { OnnxGraph, type GraphNode, type ConstantValue } from './graph/onnx-graph.js';
export { modulePaths } from './graph/module-paths.js';
export type { AttrValue } from '@gradscope/onnx-proto';
