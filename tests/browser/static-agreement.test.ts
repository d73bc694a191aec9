/**
 * Agreement of the static build with the server, in Chromium: the same top-1 class on all 10,000
 * official test images, and on ≥ 98 % of the studio and casual photo benchmarks' pictures (the
 * browser's JPEG decoder and resizer differ slightly from sharp's). Needs the dataset
 * (`apt-get install dataset-fashion-mnist`); without it the suite is skipped and says why — the
 * committed examples are checked on every run by static-build.test.ts.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { VitrineInterface } from 'vitrine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../framework/image/index.ts';
import { importInterface } from '../../framework/server/import-interface.ts';
import { buildStaticSite } from '../../framework/static/build.ts';
import { randomPhotoStyle, renderProductPhoto } from '../../scripts/bench-domain-shift.ts';
import { CASUAL_BENCH_SEED, casualPhotoSet } from '../../training/casual-set.ts';
import { seededRandom, shuffledIndices } from '../../training/data.ts';
import { DEFAULT_DATA_DIR, readIdxSplit, type IdxSplit } from '../../training/idx.ts';
import { CLASS_NAMES } from '../../apps/fashion-mnist/app.ts';
import { launchChromium, type LaunchedChromium } from './chromium.ts';
import { agreement, browserAnswers, serveFolder, serverAnswers, type BrowserAnswer, type StaticHost } from './static-site.ts';

const APP = fileURLToPath(new URL('../../apps/fashion-mnist/app.ts', import.meta.url));
const DATA = process.env.FASHION_MNIST_DIR ?? DEFAULT_DATA_DIR;
const HAS_DATA = existsSync(join(DATA, 't10k-images-idx3-ubyte.gz')) || existsSync(join(DATA, 't10k-images-idx3-ubyte'));
/** Photos per benchmark (studio and casual): a few hundred in all. */
const PHOTOS = Number(process.env.AGREEMENT_PHOTOS ?? 200);

if (!HAS_DATA) console.log(`static-agreement: SKIPPED, no Fashion-MNIST test set in ${DATA} (apt-get install -y dataset-fashion-mnist, or FASHION_MNIST_DIR)`);

let tmp: string;
let host: StaticHost;
let browser: LaunchedChromium;
let page: Page;
let iface: VitrineInterface;
let test: IdxSplit;

const toDataUrl = (bytes: Uint8Array, mime: string) => `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;

/** Both places' answers for the same pictures, and the agreement figure printed. */
async function compare(name: string, urls: string[]): Promise<ReturnType<typeof agreement> & { browser: BrowserAnswer[]; server: BrowserAnswer[] }> {
  const inBrowser = await browserAnswers(page, urls);
  const onServer = await serverAnswers(iface, urls);
  const result = agreement(inBrowser, onServer);
  console.log(`${name}: browser top-1 = server top-1 on ${result.same}/${result.total} (${(100 * result.rate).toFixed(2)} %)`);
  return { ...result, browser: inBrowser, server: onServer };
}

describe.skipIf(!HAS_DATA)('static build agrees with the server', () => {
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'vitrine-agreement-'));
    await buildStaticSite({ mounts: [{ prefix: '/', module: APP, exportName: 'default' }], out: join(tmp, 'site') });
    iface = await importInterface({ module: APP });
    test = await readIdxSplit(DATA, 't10k');
    host = await serveFolder(join(tmp, 'site'));
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(`${host.origin}/`);
    await page.waitForFunction(() => document.documentElement.dataset.vitrineReady !== undefined, null, { timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('on all 10,000 official test images', { timeout: 1_800_000 }, async () => {
    const urls: string[] = [];
    for (let i = 0; i < test.count; i++) urls.push(toDataUrl(await encodePng({ data: test.images.subarray(i * 784, (i + 1) * 784), width: 28, height: 28, channels: 1 }), 'image/png'));
    const result = await compare('official test set', urls);
    const correct = result.browser.filter((a, i) => a.top === CLASS_NAMES[test.labels[i]!]).length;
    console.log(`official test set: browser accuracy ${(100 * correct / test.count).toFixed(2)} %`);
    expect(result.differing.slice(0, 10).map((i) => `#${i}: ${result.browser[i]!.top} vs ${result.server[i]!.top}`)).toEqual([]);
  });

  it(`on ≥ 98 % of ${PHOTOS} studio and ${PHOTOS} casual photos`, { timeout: 1_800_000 }, async () => {
    const rand = seededRandom(1);
    const picks = Array.from(shuffledIndices(test.count, rand).subarray(0, PHOTOS));
    const styles = picks.map(() => randomPhotoStyle(rand));
    const studio: string[] = [];
    for (const [k, i] of picks.entries()) studio.push(toDataUrl(await renderProductPhoto(test.images.subarray(i * 784, (i + 1) * 784), styles[k]!), 'image/jpeg'));
    const casual = (await casualPhotoSet(test, PHOTOS, CASUAL_BENCH_SEED)).map((p) => toDataUrl(p.bytes, p.mime));
    const a = await compare('studio photos', studio);
    const b = await compare('casual photos', casual);
    const rate = (a.same + b.same) / (a.total + b.total);
    console.log(`photos together: ${(100 * rate).toFixed(2)} % agreement (${a.same + b.same}/${a.total + b.total})`);
    expect(rate).toBeGreaterThanOrEqual(0.98);
  });
});
