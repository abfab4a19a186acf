import { expect, test, type Page, type Request } from '@playwright/test';
import { signInAsAdmin } from './fixtures/session';

// Issue 13 #4: an Alerts tab left open made 280 requests in 20 s, 208 of them `?_rsc=`
// prefetches of the sidebar links redone after every refresh. Idle, it may cost one small
// request per interval (PQGATE_LIVE_REFRESH_SECONDS, 1 s by default), and none while hidden.

const INTERVAL_MS = 1000;

function watch(page: Page) {
  const seen: { url: URL; prefetch: boolean; rsc: boolean }[] = [];
  const versions: string[] = [];
  const onRequest = (r: Request) => {
    const url = new URL(r.url());
    const headers = r.headers();
    seen.push({ url, prefetch: 'next-router-prefetch' in headers, rsc: url.searchParams.has('_rsc') || 'rsc' in headers });
  };
  page.on('request', onRequest);
  page.on('response', async (res) => {
    if (new URL(res.url()).pathname !== '/api/alerts/version') return;
    const body = (await res.json().catch(() => ({}))) as { version?: string };
    if (body.version) versions.push(body.version);
  });
  return {
    seen,
    /** How many times a poll saw the alerts change: each may cost one page refresh. */
    changes: () => versions.filter((v, i) => i > 0 && v !== versions[i - 1]).length,
    reset: () => {
      seen.length = 0;
      versions.length = 0;
    },
  };
}

async function setVisibility(page: Page, state: 'visible' | 'hidden') {
  await page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => s === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

test('an idle Alerts tab polls one small route per interval, never prefetches the navigation, and is silent while hidden', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
  await signInAsAdmin(page);
  // The Overview's own links may prefetch once on its load; that is not the Alerts page's traffic.
  await page.waitForLoadState('networkidle');
  const traffic = watch(page);
  await page.goto('/alerts');
  await expect(page.getByRole('heading', { name: 'Alerts', level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  // Loading the page may prefetch nothing either: every sidebar link is prefetch={false}.
  expect(traffic.seen.filter((r) => r.prefetch)).toEqual([]);

  traffic.reset();
  const idleMs = 10_000;
  await page.waitForTimeout(idleMs);
  const polls = traffic.seen.filter((r) => r.url.pathname === '/api/alerts/version');
  const others = traffic.seen.filter((r) => r.url.pathname !== '/api/alerts/version');
  expect(polls.length).toBeGreaterThanOrEqual(idleMs / INTERVAL_MS / 2); // still live
  expect(polls.length).toBeLessThanOrEqual(idleMs / INTERVAL_MS + 1);
  expect(others.filter((r) => r.prefetch), 'no _rsc prefetch after load').toEqual([]);
  // Anything else is a refresh of this page, and only after a poll saw the alerts change.
  expect(others.every((r) => r.rsc && r.url.pathname === '/alerts')).toBe(true);
  expect(others.length).toBeLessThanOrEqual(traffic.changes());

  // A hidden tab makes no request at all...
  await setVisibility(page, 'hidden');
  traffic.reset();
  await page.waitForTimeout(5 * INTERVAL_MS);
  expect(traffic.seen.map((r) => r.url.pathname)).toEqual([]);

  // ...and checks at once when shown again.
  const back = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/alerts/version', { timeout: INTERVAL_MS / 2 });
  await setVisibility(page, 'visible');
  await back;
  await page.screenshot({ path: test.info().outputPath('alerts-idle.png'), fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test('the alerts version is refused to a signed-out caller', async ({ request }) => {
  const res = await request.get('/api/alerts/version', { maxRedirects: 0 });
  expect(res.status()).toBe(401);
});
