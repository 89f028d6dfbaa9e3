// A WebKitGTK session for node tests: starts Debian's WebKitWebDriver (package
// webkit2gtk-driver, a W3C WebDriver) on a free port of 127.0.0.1 and opens a
// session of WebKitGTK's MiniBrowser through selenium-webdriver.
//
// MiniBrowser (WebKitGTK 2.50) has no headless mode: it needs an X display,
// which scripts/test-webkit.sh provides with xvfb-run. The driver runs with
// HOME, XDG_*_HOME and TMPDIR in a fresh directory (deleted by quit()), so the
// browser's caches and data stay out of the caller's home, and under
// `timeout`, so it stops by itself even if the test process dies.
//
//   const wk = await startWebKit();
//   await wk.driver.get(url);
//   await wk.evaluate(fn, arg);           // fn(arg) in the page (one serialisable argument)
//   await wk.waitFor(fn, arg, { timeoutMs, message });  // polls until fn(arg) is truthy, returns it
//   await wk.click(css); await wk.quit();
//
// Environment: WEBKITDRIVER (default /usr/bin/WebKitWebDriver), MINIBROWSER
// (default: /usr/lib/<multiarch>/webkit2gtk-4.1/MiniBrowser, of libwebkit2gtk-4.1-0).

import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDriver } from './driver-process.mjs';
import { Builder, By } from 'selenium-webdriver';

const DRIVER = process.env.WEBKITDRIVER || '/usr/bin/WebKitWebDriver';
/** MiniBrowser of libwebkit2gtk-4.1-0, under the machine's multiarch directory (e.g. /usr/lib/x86_64-linux-gnu). */
const MINIBROWSER =
  process.env.MINIBROWSER ||
  readdirSync('/usr/lib')
    .map((dir) => path.join('/usr/lib', dir, 'webkit2gtk-4.1', 'MiniBrowser'))
    .find((file) => existsSync(file));
const DRIVER_LIFETIME_SECS = 900;

export async function startWebKit() {
  if (!process.env.DISPLAY) {
    throw new Error('no X display: WebKitGTK needs one; run through scripts/test-webkit.sh (xvfb-run) or `make test-webkit`');
  }
  if (!MINIBROWSER) throw new Error('no /usr/lib/*/webkit2gtk-4.1/MiniBrowser: run `make tools` (Debian package webkit2gtk-driver) or set MINIBROWSER');
  const home = mkdtempSync(path.join(tmpdir(), 'optave-webkit-'));
  const env = {
    ...process.env,
    HOME: home,
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    TMPDIR: home,
  };
  const { url, stopDriver, log } = await startDriver({
    name: 'WebKitWebDriver', bin: DRIVER, args: (port) => [`--port=${port}`, '--host=127.0.0.1'], env, home, lifetimeSecs: DRIVER_LIFETIME_SECS,
  });
  let driver;
  try {
    driver = await new Builder()
      .usingServer(url)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      })
      .build();
  } catch (err) {
    await stopDriver();
    throw err;
  }
  const caps = await driver.getCapabilities();
  const evaluate = (fn, arg) => driver.executeScript(`return (${fn.toString()})(arguments[0]);`, arg);
  return {
    driver,
    browserVersion: caps.get('browserVersion'),
    evaluate,
    async waitFor(fn, arg, { timeoutMs = 20_000, message = `${fn.name || 'condition'} was never true` } = {}) {
      let last;
      try {
        return await driver.wait(async () => (last = await evaluate(fn, arg)), timeoutMs);
      } catch (err) {
        throw new Error(`${message} within ${timeoutMs} ms (last answer ${JSON.stringify(last)}; ${err.message})`);
      }
    },
    click: async (css) => (await driver.findElement(By.css(css))).click(),
    driverLog: log,
    async quit() {
      await driver.quit().catch(() => {});
      await stopDriver();
    },
  };
}
