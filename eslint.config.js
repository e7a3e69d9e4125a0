// One lint config for the whole tree (`pnpm lint`). Formatting is Prettier's job (`pnpm format`);
// this file checks correctness and states STYLE principle 4, the dependency direction, per package:
// a package's sources may not import the gradscope packages or runtimes listed against it.
// (test/architecture.test.ts checks the same law, allow-list style, and the absence of import cycles.)
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const runtimes = ['@tensorflow/*', 'onnxruntime-web', 'onnxruntime-node', 'onnxruntime-*'];
const gs = (...names) => names.map((n) => `@gradscope/${n}`);

/** Imports each package's `src/` must not make, with the reason shown in the lint message. */
const forbidden = {
  core: { names: [...gs('*'), ...runtimes], why: 'core knows no runtime and no other gradscope package' },
  methods: {
    names: [...gs('backend-*', 'render', 'cli', 'shapes', 'conformance'), ...runtimes],
    why: 'methods depend on core only, never on a runtime',
  },
  render: { names: [...gs('*'), ...runtimes], why: 'render has no runtime dependencies' },
  'backend-tfjs': {
    names: [...gs('methods', 'backend-onnx', 'render', 'cli', 'shapes', 'conformance'), 'onnxruntime-*'],
    why: 'a backend uses core and its runtime, never methods',
  },
  'backend-onnx': {
    names: [...gs('methods', 'backend-tfjs', 'render', 'cli', 'shapes', 'conformance'), '@tensorflow/*'],
    why: 'the onnx backend takes its runtime injected and never imports methods',
  },
  'onnx-proto': {
    names: [...gs('*'), ...runtimes],
    why: 'the ONNX protobuf wrapper knows no runtime and no other gradscope package',
  },
  'tfjs-to-onnx': {
    names: [...gs('methods', 'backend-*', 'render', 'cli', 'shapes', 'conformance'), ...runtimes],
    why: 'the converter reads tfjs artifacts without tfjs and writes ONNX without onnxruntime',
  },
  conformance: {
    names: [...gs('methods', 'backend-*', 'render', 'cli', 'shapes'), ...runtimes],
    why: 'the suite takes the backends and methods it checks as arguments',
  },
  image: {
    names: [...gs('backend-*', 'methods', 'render', 'cli', 'shapes', 'conformance', 'gain', 'metrics'), ...runtimes],
    why: 'image decoding depends on core only, never on a runtime',
  },
  metrics: {
    names: [...gs('backend-*', 'methods', 'render', 'cli', 'shapes', 'conformance', 'gain'), ...runtimes],
    why: "metrics run on any backend through core's Model; they never import a runtime or a method",
  },
  queue: {
    names: [...gs('backend-*', 'methods', 'render', 'cli', 'shapes', 'conformance', 'gain', 'metrics'), ...runtimes],
    why: 'the queue moves JSON tasks and verifies files; what a task computes is injected by the CLI',
  },
  gain: {
    names: [
      ...gs('methods', 'backend-onnx', 'render', 'cli', 'shapes', 'conformance'),
      '@tensorflow/tfjs-*',
      'onnxruntime-*',
    ],
    why: 'gain trains with core, backend-tfjs (and its training kernels) and @tensorflow/tfjs only',
  },
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out/**',
      '**/tmp/**',
      '**/.turbo/**',
      '**/fixtures/**',
      'packages/shapes/model/**',
      '**/*.tmp.mjs',
      'docs/api/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `Method<any>` collections and tfjs internals need `any`; the compiler's strict mode guards the rest.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  ...Object.entries(forbidden).map(([pkg, { names, why }]) => ({
    files: [`packages/${pkg}/src/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: names, message: `${pkg}: ${why}.` }] }],
    },
  })),
);
