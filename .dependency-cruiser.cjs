/**
 * Layer rules of Sailbucket (docs/architecture.md, "Layers"). Run by `npm run lint` (part of `npm test`).
 * `tsPreCompilationDeps: true`: `import type` and dynamic `import()` count like any other import.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No module may depend on itself through others (type-only and dynamic imports included).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-protocol-free',
      severity: 'error',
      comment: 'The domain knows nothing of HTTP, XML, JSON wire shapes, SQL, files, SigV4 or the CLI.',
      from: { path: '^src/domain/' },
      to: {
        path: '^src/(http|control|s3|sigv4|store|cli|model|generated)/|^src/(app|services|planes|main|config|identity)[.]ts$',
      },
    },
    {
      name: 'store-depends-on-ports-only',
      severity: 'error',
      comment: 'A store implements the ports in src/domain/ports/ and imports nothing else of the domain.',
      from: { path: '^src/store/' },
      to: { path: '^src/domain/', pathNot: '^src/domain/ports/' },
    },
    {
      name: 'store-below-planes',
      severity: 'error',
      comment: 'Stores never reach up into the planes, the CLI or the composition root.',
      from: { path: '^src/store/' },
      to: { path: '^src/(http|control|s3|sigv4|cli|model|generated)/|^src/(app|services|planes|main)[.]ts$' },
    },
    {
      name: 'ports-are-leaves',
      severity: 'error',
      comment: 'Ports and records depend on nothing but each other and the checksum library (its algorithm names).',
      from: { path: '^src/domain/ports/' },
      to: { path: '^src/', pathNot: '^src/domain/ports/|^src/crypto/checksums[.]ts$' },
    },
    {
      name: 'planes-use-domain-not-stores',
      severity: 'error',
      comment:
        'The planes reach data through domain services only: no store implementation and no port (MetadataStore, ' +
        'repos, BlobStore); the record types in ports/records.ts and ports/objectRecords.ts are shared. The composition root (app.ts, services.ts, planes.ts) wires them.',
      from: { path: '^src/(http|control|s3|cli)/' },
      to: { path: '^src/store/|^src/domain/ports/', pathNot: '^src/domain/ports/(records|objectRecords)[.]ts$' },
    },
    {
      name: 'sigv4-is-pure',
      severity: 'error',
      comment:
        'SigV4 is a pure protocol library: it imports no other layer of Sailbucket, only src/crypto/ (checksums).',
      from: { path: '^src/sigv4/' },
      to: { path: '^src/', pathNot: '^src/(sigv4|crypto)/' },
    },
    {
      name: 'http-knows-no-plane',
      severity: 'error',
      comment: 'The listener dispatches to PlaneHandlers it is given; it does not import the planes.',
      from: { path: '^src/http/' },
      to: { path: '^src/(control|s3|domain|store|cli)/' },
    },
    {
      name: 'planes-independent',
      severity: 'error',
      comment: 'The control plane and the S3 plane do not import each other.',
      from: { path: '^src/control/' },
      to: { path: '^src/s3/' },
    },
    {
      name: 'planes-independent-s3',
      severity: 'error',
      from: { path: '^src/s3/' },
      to: { path: '^src/control/' },
    },
    {
      name: 'crypto-is-a-leaf',
      severity: 'error',
      comment: 'src/crypto/ (sealing, ids, checksums) is a support library every layer may use; it uses none.',
      from: { path: '^src/crypto/' },
      to: { path: '^src/', pathNot: '^src/crypto/' },
    },
    {
      name: 'src-not-from-tests',
      severity: 'error',
      comment: 'Product code never imports tests, benchmarks or scripts.',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports is dead (entry points and tests excepted).',
      from: {
        orphan: true,
        pathNot: ['^src/main[.]ts$', '[.]d[.]ts$', '^test/', '^bench/', '^scripts/'],
      },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
