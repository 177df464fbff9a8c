// Lint: ESLint's and typescript-eslint's recommended rules, type-aware for floating promises, and
// the one-way layers of src/ (test/layers.js).
import { URL, fileURLToPath } from 'node:url';
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';
import { layerRules } from './layers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const layers = layerRules();

export default tseslint.config(
  // The scaffolds of `faultline init` are checked in a user's project by test/unit/init.test.ts.
  { ignores: ['node_modules/', 'services/app/node_modules/', '.faultline/', 'dist/', 'src/cli/templates/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,js}', 'experiments/**/*.ts'],
    plugins: { boundaries },
    settings: { ...layers.settings, 'boundaries/root-path': root },
    rules: layers.rules,
  },
);
