/**
 * The voice line's figures (`npm run bench -- --only=voice`), each beside its baseline from the
 * same run:
 * - the TwiML webhook's menu step p50 on a real local server, beside the same app's /health;
 * - the voice Lambda's bundle and cold import, beside the bare Hono + GetItem handler;
 * - the seconds of audio of a price at 3 markets, per language (the sum of the clips' lengths;
 *   from placeholders' estimates where a clip is not recorded: said in the note);
 * - studio coverage per language: needed clips recorded and approved.
 */
import { join } from 'node:path';
import { shanghaiDay } from '#core/dates.ts';
import type { VoiceLanguage } from '#core/voice/call.ts';
import { clipText, neededClips } from '#core/voice/speech/catalogue.ts';
import { estimateMs } from '#core/voice/speech/duration.ts';
import { priceRowClips } from '#core/voice/speech/phrases.ts';
import { startTestServer } from '#test/support/server.ts';
import { buildBundle } from './bundle.ts';
import { measureImports } from './import-time.ts';
import { type Figure, figure } from './report.ts';
import type { SectionResult } from './sections.ts';
import { percentile } from './stats.ts';

const kb = (bytes: number) => bytes / 1024;

export interface VoiceBenchSettings {
  /** Menu steps (and /health requests) measured. */
  steps: number;
  importRuns: number;
}

export async function voiceSection(workDir: string, settings: VoiceBenchSettings): Promise<SectionResult> {
  const figures: Figure[] = [];
  const notes: string[] = [];

  // 1. Bundle and cold import, beside the bare handler built with the same options.
  const voice = await buildBundle('functions/handlers/voice.ts', join(workDir, 'voice', 'index.mjs'));
  const bare = await buildBundle('test/bench/fixtures/baseline-handler.ts', join(workDir, 'voice-bare', 'index.mjs'));
  const bareKb = { name: 'bare hono + ddb GetItem', value: kb(bare.bytes) };
  figures.push(
    figure({
      group: 'voice',
      name: 'voice Lambda, minified JS',
      value: kb(voice.bytes),
      unit: 'KB',
      baseline: bareKb,
      target: { of: 'value', op: '<=', limit: 300 },
      note: `largest parts (KB): ${voice.contributors
        .slice(0, 6)
        .map((c) => `${c.name} ${kb(c.bytes).toFixed(0)}`)
        .join(', ')}`,
    }),
  );
  const imports = await measureImports({ voice: voice.file, bare: bare.file }, settings.importRuns);
  figures.push(
    figure({
      group: 'voice',
      name: 'voice Lambda cold import, median',
      value: imports.voice.median,
      unit: 'ms',
      baseline: { name: 'bare handler import', value: imports.bare.median },
      target: { of: 'ratio', op: '<=', limit: 2 },
    }),
  );

  // 2. The menu step on a real server: each sample is a new call past the language menu (1),
  // answered with the main menu; /health in the same rounds.
  const server = await startTestServer({ devTools: false });
  try {
    const post = (fields: Record<string, string>, query = '') =>
      fetch(`${server.url}/voice/twiml${query}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const menu: number[] = [];
    const health: number[] = [];
    for (let i = 0; i < settings.steps + 5; i++) {
      const call = { CallSid: `CAbench${i}`, From: `+86138${String(10000000 + i).slice(-8)}`, To: '+8610690000' };
      const first = await post(call);
      if (!first.ok) throw new Error(`POST /voice/twiml answered ${first.status}`);
      await first.text();
      let t = performance.now();
      const res = await post({ ...call, Digits: '1' }, '?seq=1');
      const body = await res.text();
      const ms = performance.now() - t;
      if (!res.ok || !body.includes('<Gather'))
        throw new Error(`menu step answered ${res.status}: ${body.slice(0, 200)}`);
      t = performance.now();
      await (await fetch(`${server.url}/health`)).text();
      const healthMs = performance.now() - t;
      if (i >= 5) {
        menu.push(ms);
        health.push(healthMs);
      }
    }
    figures.push(
      figure({
        group: 'voice',
        name: 'TwiML menu step p50 (POST /voice/twiml, Digits=1)',
        value: percentile(menu, 50),
        unit: 'ms',
        baseline: { name: 'GET /health p50', value: percentile(health, 50) },
        target: { of: 'value', op: '<=', limit: 30 },
        note: `${menu.length} calls, one at a time; p99 ${percentile(menu, 99).toFixed(1)} ms`,
      }),
    );

    // 3. A price at 3 markets, spoken: "the price of <commodity>", then each market's row.
    const catalog = await server.stack.deps.catalog();
    const commodity = [...catalog.commodities.keys()][0]!;
    const markets = [...catalog.markets.keys()].slice(0, 3);
    const unit = [...(catalog.units?.keys() ?? [])][0] ?? 'jin';
    const today = shanghaiDay(new Date());
    const playable = await server.stack.deps.voiceStores.clips.playable();
    for (const lang of ['bo', 'zh'] as const satisfies readonly VoiceLanguage[]) {
      const clips = [
        'say.priceOf',
        `commodity.${commodity}`,
        ...markets.flatMap((marketId, i) =>
          priceRowClips(lang, { marketId, priceFen: 1235 + i * 1111, unitId: unit, date: today, old: i === 2 }, today),
        ),
      ];
      let estimated = 0;
      const ms = clips.reduce((sum, id) => {
        const recorded = playable.get(lang)?.get(id);
        if (recorded) return sum + recorded.durationMs;
        estimated++;
        return sum + estimateMs(lang, clipText(lang, id, catalog) ?? id);
      }, 0);
      figures.push(
        figure({
          group: 'voice',
          name: `price at 3 markets spoken, ${lang}`,
          value: ms / 1000,
          unit: 'count',
          ...(lang === 'bo' ? { target: { of: 'value', op: '<=', limit: 25 } } : {}),
          note: `seconds of audio, ${clips.length} clips, ${estimated} of them placeholders' estimates (speech/duration.ts), not recordings`,
        }),
      );
    }

    // 4. Studio coverage: the needed clips with an approved recording.
    for (const lang of ['bo', 'zh'] as const) {
      const needed = new Set(neededClips(lang, catalog).map((c) => c.id));
      const list = await server.stack.deps.voiceStores.clips.list(lang);
      const recorded = list.filter((r) => needed.has(r.id)).length;
      const approved = list.filter((r) => needed.has(r.id) && r.status === 'approved').length;
      figures.push(
        figure({
          group: 'voice',
          name: `studio coverage, ${lang}: approved of needed`,
          value: needed.size ? (100 * approved) / needed.size : 0,
          unit: 'count',
          note: `% — ${approved} approved, ${recorded} recorded, of ${needed.size} needed clips (a fresh store: none recorded)`,
        }),
      );
    }
  } finally {
    await server.close();
  }
  notes.push(`voice: cold import medians over ${settings.importRuns} runs each, interleaved with the bare handler`);
  return { figures, notes };
}
