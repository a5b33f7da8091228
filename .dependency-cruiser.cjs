// Module rules of DESIGN.md: no cycles; the platform knows no module; modules use each other only
// through index.ts; imports go one way along the module order; contracts depend on nothing server-side.
const order = [
  'identity',
  'marketplace',
  'programs',
  'routing',
  'conversations',
  'bot',
  'cases',
  'seller-inbox',
  'ledger',
  'returns',
  'refunds',
  'claims',
  'assistant',
  'help-center',
  'billing',
  'email',
  'notifications',
];

const laterThan = (i) => order.slice(i + 1).join('|');

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'platform-knows-no-module',
      severity: 'error',
      from: { path: '^src/server/platform', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/server/(modules|main)' },
    },
    {
      name: 'contracts-stand-alone',
      severity: 'error',
      from: { path: '^src/contracts' },
      to: { path: '^src/server' },
    },
    {
      name: 'entry-points-use-module-index',
      severity: 'error',
      from: { path: '^src/server/main/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/server/modules/[^/]+/(?!index\\.ts$)' },
    },
    {
      name: 'modules-only-through-index',
      comment: 'Another module is used through its index.ts only.',
      severity: 'error',
      from: { path: '^src/server/modules/([^/]+)/' },
      to: {
        path: '^src/server/modules/([^/]+)/(?!index\\.ts$)',
        pathNot: ['^src/server/modules/$1/'],
      },
    },
    ...order.slice(0, -1).map((name, i) => ({
      name: `${name}-does-not-import-later-modules`,
      comment: 'A lower module that must trigger a higher one enqueues a job instead.',
      severity: 'error',
      from: { path: `^src/server/modules/${name}/` },
      to: { path: `^src/server/modules/(${laterThan(i)})/` },
    })),
    {
      name: 'web-pages-use-contracts-only',
      comment: 'Browser code shares only the zod contracts with the server (build.ts runs in Node).',
      severity: 'error',
      from: { path: '^src/web/', pathNot: ['^src/web/build\\.ts$', '\\.test\\.tsx?$'] },
      to: { path: '^src/server/' },
    },
    {
      name: 'server-does-not-import-web-code',
      comment: 'The server serves the built pages; only start-up calls the build.',
      severity: 'error',
      from: { path: '^src/server/', pathNot: '^src/server/main/start\\.ts$' },
      to: { path: '^src/web/' },
    },
    {
      name: 'tests-stay-out-of-production',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '(^test/|\\.test\\.tsx?$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
