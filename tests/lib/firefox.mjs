// A headless Firefox session for node tests: starts geckodriver (built from
// crates.io by `make tools` into ~/.cargo/bin) on a free port of 127.0.0.1
// and opens a session of Debian's firefox-esr through selenium-webdriver,
// naming the driver's address itself (selenium's own driver download is
// never used).
//
// The driver runs with HOME and TMPDIR in a fresh directory (deleted by
// quit()), and under `timeout`, so it stops by itself even if the test
// process dies.
//
//   const ff = await startFirefox();
//   await ff.driver.get(url);
//   await ff.evaluate(fn, arg);           // fn(arg) in the current window (one serialisable argument)
//   await ff.quit();
//
// Environment: GECKODRIVER (default: geckodriver on PATH, else
// ~/.cargo/bin/geckodriver), FIREFOX (default /usr/bin/firefox-esr).

import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { startDriver } from './driver-process.mjs';
import { Builder } from 'selenium-webdriver';

const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
const DRIVER_LIFETIME_SECS = 900;

/** geckodriver as a fresh machine has it after `make tools`: on PATH, or in ~/.cargo/bin (where `cargo install` puts it). */
export function geckodriverPath() {
  if (process.env.GECKODRIVER) return process.env.GECKODRIVER;
  const dirs = [...(process.env.PATH || '').split(path.delimiter).filter(Boolean), path.join(homedir(), '.cargo', 'bin')];
  return dirs.map((d) => path.join(d, 'geckodriver')).find((f) => existsSync(f)) ?? null;
}

export async function startFirefox() {
  const driverBin = geckodriverPath();
  if (!driverBin) throw new Error('geckodriver is not on PATH nor in ~/.cargo/bin: run `make tools` (cargo install geckodriver) or set GECKODRIVER');
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing: run \`make tools\` (Debian package firefox-esr) or set FIREFOX`);
  const home = mkdtempSync(path.join(tmpdir(), 'optave-firefox-'));
  const env = { ...process.env, HOME: home, TMPDIR: home, MOZ_HEADLESS: '1' };
  const { url, stopDriver, log } = await startDriver({
    name: 'geckodriver', bin: driverBin, args: (port) => ['--port', String(port), '--host', '127.0.0.1'], env, home, lifetimeSecs: DRIVER_LIFETIME_SECS,
  });
  let driver;
  try {
    driver = await new Builder()
      .usingServer(url)
      .withCapabilities({
        browserName: 'firefox',
        'moz:firefoxOptions': {
          binary: FIREFOX,
          args: ['-headless'],
          prefs: {
            'app.update.enabled': false,
            'browser.shell.checkDefaultBrowser': false,
            'datareporting.policy.dataSubmissionEnabled': false,
            'toolkit.telemetry.enabled': false,
            'network.captive-portal-service.enabled': false,
            'network.connectivity-service.enabled': false,
          },
        },
      })
      .build();
  } catch (err) {
    await stopDriver();
    throw err;
  }
  const caps = await driver.getCapabilities();
  await driver.manage().setTimeouts({ script: 30_000 });
  return {
    driver,
    browserVersion: caps.get('browserVersion'),
    evaluate: (fn, arg) => driver.executeScript(`return (${fn.toString()})(arguments[0]);`, arg),
    driverLog: log,
    async quit() {
      await driver.quit().catch(() => {});
      await stopDriver();
    },
  };
}
