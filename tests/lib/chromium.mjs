// Headless Debian Chromium for the node suites (e2e, consumers), through
// playwright-core: CHROMIUM (default /usr/bin/chromium), and the flags this
// machine needs as root with no outside network (no sandbox, no GPU, no QUIC,
// none of Chromium's own background requests).

import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Launches Chromium with CHROMIUM_ARGS. */
export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
