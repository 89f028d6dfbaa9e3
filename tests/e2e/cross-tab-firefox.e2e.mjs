// One connection across tabs (`crossTab: { key }`) in Firefox: a window per
// tab, then tabs of one window (geckodriver brings the tab it switches to to
// the front), in one headless firefox-esr session driven through geckodriver
// (WebDriver, selenium-webdriver; tests/lib/firefox.mjs), against a local OCO
// server of this file's own, so the socket counts of GET /api/test/stats are
// this file's alone.
//
//   make test-e2e          (node --test tests/e2e/*.mjs)
//
// What a tab does and what it saw is tests/lib/cross-tab.mjs (window.__tab).
// Environment: GECKODRIVER, FIREFOX (tests/lib/firefox.mjs).

import { startFirefox } from '../lib/firefox.mjs';
import { crossTabScenarios } from '../lib/cross-tab-webdriver.mjs';

crossTabScenarios('Firefox', startFirefox, 'window');
crossTabScenarios('Firefox', startFirefox, 'tab');
