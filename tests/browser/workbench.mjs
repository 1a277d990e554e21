// Drives the workbench of a running `cinegraph serve` in headless Chromium (the system's,
// /usr/bin/chromium by default) with playwright-core: runs an example query, opens an entity
// page and the "try a review" page (with markup in the review, which must show as text),
// checks what each shows, that no script error or CSP violation happened, and saves
// screenshots. Usage: node workbench.mjs BASE_URL SCREENSHOT_DIR USER_DATA_DIR REVIEW_FILE
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";

const [base, shots, userDataDir, reviewFile] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const problems = [];
const page = context.pages()[0] || (await context.newPage());
page.on("console", (m) => { if (m.type() === "error") problems.push(`console (${page.url()}): ${m.text()} ${JSON.stringify(m.location())}`); });
page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
const check = (ok, what) => { if (!ok) throw new Error(`check failed: ${what}`); console.log(`ok: ${what}`); };

try {
  // The query editor: an example query, run, shown as a table with download links.
  await page.goto(`${base}/`);
  await page.waitForSelector(".CodeMirror");
  await page.click("#run");
  await page.waitForSelector("#results table.results tbody tr");
  const cells = await page.locator("#results td").allTextContents();
  check(cells.includes("Mikhail Kalatozov"), "the example query lists Mikhail Kalatozov");
  check(/rows? in \d+ ms/.test(await page.textContent("#status")), "the status gives rows and time");
  const downloads = await page.locator("#downloads a").count();
  check(downloads === 4, `four download links for a SELECT (${downloads})`);
  const csv = await page.getAttribute("#downloads a:has-text('CSV')", "href");
  const response = await page.request.get(`${base}${csv}`);
  check((await response.text()).includes("Mikhail Kalatozov"), "the CSV download holds the rows");
  await page.screenshot({ path: `${shots}/workbench-query.png`, fullPage: false });

  // An entity page: label, IMDb link, facts with highlighted evidence, the drawn graph.
  const film = "https://w3id.org/cinegraph/id/film/tt0050634";
  await page.goto(`${base}/entity?iri=${encodeURIComponent(film)}`);
  await page.waitForSelector("#graph canvas");
  check((await page.textContent("#label")).trim() === "The Cranes Are Flying", "the entity page's title");
  check(await page.locator("a.imdb").count() === 1, "an IMDb link");
  check(await page.locator("#facts mark").count() > 3, "evidence highlighted in the facts' sentences");
  const drawn = Number(await page.getAttribute("#graph", "data-nodes"));
  check(drawn >= 5, `the neighbourhood is drawn (${drawn} nodes)`);
  await page.screenshot({ path: `${shots}/workbench-entity.png`, fullPage: false });

  // The search box finds a person by surname and links to the page.
  await page.fill("nav input[type=search]", "Kalatozov");
  await page.press("nav input[type=search]", "Enter");
  await page.waitForSelector("table.results a");
  check((await page.textContent("table.results a")) === "Mikhail Kalatozov", "search by surname");

  // Try a review: the text with markup, extracted in memory, shown as text.
  const text = readFileSync(reviewFile, "utf8").split("\n\n")[0] +
    "\n\n<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\"> Directed by Kevin Tenney.";
  await page.goto(`${base}/try`);
  await page.fill("#text", text);
  await page.click("#try button[type=submit]");
  await page.waitForSelector("#review mark.mention");
  check(await page.evaluate(() => window.__xss === undefined), "markup in the review is not run");
  check((await page.textContent("#review")).includes("<script>window.__xss = 1</script>"), "markup shows as text");
  check(await page.locator("#facts tbody tr").count() >= 1, "the facts table has rows");
  check(await page.locator("#review .evidence").count() >= 1, "evidence underlined in place");
  await page.waitForSelector("#graph canvas");
  await page.screenshot({ path: `${shots}/workbench-try.png`, fullPage: false });

  check(problems.length === 0, `no script error or CSP violation (${problems.join("; ")})`);
  console.log("all browser checks passed");
} catch (e) {
  console.error(String(e.stack || e));
  console.error(problems.join("\n"));
  process.exitCode = 1;
} finally {
  await context.close();
}
