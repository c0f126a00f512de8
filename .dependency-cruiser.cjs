/**
 * Module boundaries in the cloud (docs/architecture.md, "Conventions"), checked by `pnpm lint`:
 * a domain module is imported from outside only through its index.ts, no file imports itself through a
 * chain of others at run time (so neither do two modules), and platform imports no module.
 * cloud/src/boundaries.test.ts runs these rules on a small tree that breaks each of them.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment:
        'Files of the cloud must not depend on themselves through other files at run time (a cycle of ' +
        'type imports only, erased when compiled, is left to review).',
      severity: 'error',
      from: { path: '^cloud/src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'module-through-index',
      comment: "Another module's files are reached only through its index.ts.",
      severity: 'error',
      from: { path: '^cloud/src/modules/([^/]+)/' },
      to: {
        path: '^cloud/src/modules/[^/]+/',
        pathNot: ['^cloud/src/modules/$1/', '^cloud/src/modules/[^/]+/index[.]ts$'],
      },
    },
    {
      name: 'outside-through-index',
      comment: "Code outside the modules reaches a module's files only through its index.ts.",
      severity: 'error',
      // The tRPC context identifies the caller with identity's lookups before any router exists; through
      // identity's index it would import identity's routers, which are built from trpc's procedures.
      from: {
        path: '^cloud/src/',
        pathNot: ['^cloud/src/modules/', '^cloud/src/trpc/(context|procedures)[.]ts$'],
      },
      to: { path: '^cloud/src/modules/[^/]+/', pathNot: '^cloud/src/modules/[^/]+/index[.]ts$' },
    },
    {
      name: 'trpc-reaches-identity-lookups-only',
      comment: 'The one exception above: the context and the access middleware use the caller lookups.',
      severity: 'error',
      from: { path: '^cloud/src/trpc/' },
      to: {
        path: '^cloud/src/modules/[^/]+/',
        pathNot: [
          '^cloud/src/modules/[^/]+/index[.]ts$',
          '^cloud/src/modules/identity/(principals|callers)[.]ts$',
        ],
      },
    },
    {
      name: 'platform-imports-no-module',
      comment: 'platform is what every module uses; it depends on none of them.',
      severity: 'error',
      from: { path: '^cloud/src/platform/' },
      to: { path: '^cloud/src/modules/' },
    },
  ],
  options: {
    includeOnly: '^cloud/src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
