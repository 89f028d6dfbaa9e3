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

/**
 * Freezes the page of the CDP session `cdp` as a browser freezes a
 * background tab: Page.setWebLifecycleState 'frozen'. Headless Chromium
 * leaves a visible page running on that command (its timers keep firing, no
 * `freeze` event), so the page's script is also halted in the debugger
 * (Debugger.pause takes effect at its next task, e.g. its next timer): from
 * then on it runs nothing, neither timers nor channel or socket messages,
 * while its sockets stay open. Resolves true once halted, false if the page
 * ran no task within 5 s.
 */
export async function freezePage(cdp) {
  await cdp.send('Debugger.enable');
  const paused = new Promise((resolve) => cdp.once('Debugger.paused', resolve));
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  await cdp.send('Debugger.pause');
  return Promise.race([paused.then(() => true), new Promise((r) => setTimeout(r, 5000, false))]);
}

/** Lets a page frozen by `freezePage` run again. */
export async function thawPage(cdp) {
  await cdp.send('Debugger.resume').catch(() => {});
  await cdp.send('Debugger.disable').catch(() => {});
  await cdp.send('Page.setWebLifecycleState', { state: 'active' });
}
