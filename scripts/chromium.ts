/**
 * Debian's Chromium for every browser run (tests, stories, e2e, screenshots): browsers cannot be
 * downloaded here. CHROMIUM_PATH overrides the path; the flags keep it off the network.
 */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
