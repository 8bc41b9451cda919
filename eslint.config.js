// Lint: typescript-eslint's recommended rules plus the layer boundaries of STYLE.md
// (which folder may import which), enforced with no-restricted-imports.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const folders = ['lib', 'sip', 'media', 'domain', 'config', 'store', 'services', 'pbx', 'notify', 'api', 'cli'];
/** Folder → folders it may import (besides itself). */
const allowed = {
  lib: [],
  sip: ['lib'],
  media: ['lib'],
  domain: ['lib'],
  config: ['lib'],
  store: ['domain', 'lib'],
  services: ['store', 'domain', 'lib'],
  pbx: ['sip', 'media', 'domain', 'lib'],
  notify: ['domain', 'lib'],
  api: ['services', 'domain', 'config', 'lib'],
  cli: ['services', 'domain', 'config', 'lib'],
};

function boundary(folder) {
  const forbidden = folders.filter((f) => f !== folder && !allowed[folder].includes(f));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidden.map((f) => ({
              group: [`**/${f}`, `**/${f}/**`, `**/${f}.js`],
              message: `src/${folder} may not import src/${f} (see STYLE.md, allowed imports).`,
            })),
            {
              group: ['**/main', '**/main.js', '**/main-*', '**/main-*.js'],
              message: `src/${folder} may not import the composition root (src/main*.ts); have main.ts pass what it needs in.`,
            },
            ...allowed[folder].map((f) => ({
              group: [`../${f}/*/**`, `../../${f}/*/**`, `../../../${f}/*/**`],
              message: `import src/${f} through its index.ts, not a deep path.`,
            })),
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      'no-console': 'error',
    },
  },
  { files: ['scripts/**', 'bin/**', 'bench/**', 'test/**', '**/*.test.ts'], rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' } },
  ...folders.map(boundary),
);
