// The layering the code keeps (docs/architecture.md): core is the domain and knows nothing of how it
// is reached or stored; web renders pages from what http hands it; adapters implement core's ports.
// `npm run lint` runs these rules; each one has been seen to fail on a deliberate violation.

/** Paths as dependency-cruiser matches them: relative to the repository root, after alias resolution. */
const core = '^functions/core/';
const adapters = '^functions/adapters/';
const http = '^functions/http/';
const web = '^web/';
const handlers = '^functions/handlers/';
const local = '^functions/local/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-stays-pure',
      comment:
        'functions/core is the domain: it reaches storage, SMS and HTTP only through its ports, so it imports no adapter, route, page, handler or local tool.',
      severity: 'error',
      from: { path: core },
      to: { path: [adapters, http, web, handlers, local] },
    },
    {
      name: 'core-no-frameworks',
      comment:
        'functions/core runs the same under Lambda, the local server and tests: no Hono, no AWS SDK (those belong to http and adapters).',
      severity: 'error',
      from: { path: core },
      to: { path: ['(^|/)node_modules/(hono|@hono/[^/]+|@aws-sdk/[^/]+|@smithy/[^/]+)/'] },
    },
    {
      name: 'core-no-frameworks-unresolved',
      comment:
        'The same rule for a Hono or AWS SDK import that does not resolve (e.g. a type-only package not installed): the module name is enough.',
      severity: 'error',
      from: { path: core },
      to: { couldNotResolve: true, path: '^(hono|@hono/|@aws-sdk/|@smithy/)' },
    },
    {
      name: 'web-not-adapters-or-http',
      comment:
        'web/ renders pages from what functions/http hands it (the actor, guards, the CSRF field): it imports neither adapters nor http, so the folders do not form a cycle.',
      severity: 'error',
      from: { path: web },
      to: { path: [adapters, http] },
    },
    {
      name: 'adapters-not-http',
      comment:
        'functions/adapters implement core ports and are wired by the composition root; they import nothing from functions/http (the deps type lives with the root).',
      severity: 'error',
      from: { path: adapters },
      to: { path: http },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycles, type-only ones included: a cycle makes load order and layering depend on each other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'An import that does not resolve is a typo or a missing dependency; the rules above could not see through it.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^cdk\\.out/', '^\\.data/', '^\\.bench-data/', '^test/evidence/'] },
    // Type-only imports count: `import type` across layers is still a dependency a reader must follow.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      // package.json "imports" (#core/*, #http/* …) resolve like Node resolves them.
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
