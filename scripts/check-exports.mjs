// Imports the built package by its own name (Node resolves a package's self-reference through
// "exports"), so a broken exports map or a missing file fails `npm test`, not a user's install.
const core = await import('balance-sync');
const machines = await import('balance-sync/machines');
const react = await import('balance-sync/react');
const devtools = await import('balance-sync/devtools');
const expected = {
  'balance-sync': [
    core,
    ['createBalanceSync', 'memoryCache', 'localStorageCache', 'indexedDbCache'],
  ],
  'balance-sync/machines': [machines, ['balanceMachine', 'defaultConfig', 'balanceEventTypes']],
  'balance-sync/react': [
    react,
    ['BalanceSyncProvider', 'useBalance', 'useBalanceSelector', 'useInvalidateBalance'],
  ],
  'balance-sync/devtools': [devtools, ['BalanceDevtools']],
};
for (const [entry, [module, names]] of Object.entries(expected)) {
  const missing = names.filter((name) => !(name in module));
  if (missing.length > 0) {
    console.error(`${entry} is missing ${missing.join(', ')}`);
    process.exit(1);
  }
}
if (
  Object.keys(core).some((name) => /^(use[A-Z]|BalanceSyncProvider|BalanceDevtools)/.test(name))
) {
  console.error('balance-sync (core) must not export React bindings');
  process.exit(1);
}
if ('BalanceDevtools' in react) {
  console.error('balance-sync/react must not pull in the devtools panel');
  process.exit(1);
}
console.log(`exports ok: ${Object.keys(expected).join(', ')}`);
