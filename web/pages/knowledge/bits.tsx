/** Small pieces the public and staff knowledge pages share: text in the page language, times, names, severity. */
import type { Language, Translator } from '#core/i18n.ts';
import type { Attachment, Severity, Versions, VersionText } from '#core/knowledge/item.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import { primaryName } from '../../components/names.tsx';

/** The languages an item is written in, in the order a reader falls back through. */
export const itemLanguages = ['bo', 'zh', 'en'] as const satisfies readonly Language[];

/**
 * The version to show on a page in `lang`: its own, else Chinese, Tibetan, English — with the
 * language it is in, so the page can mark it (`lang=` attribute) when it is not the page's.
 */
export function textIn(versions: Versions, lang: Language): { text: VersionText; lang: Language } | undefined {
  for (const l of [lang, 'zh', 'bo', 'en'] as const) {
    const text = versions[l];
    if (text?.title) return { text, lang: l };
  }
  return undefined;
}

/**
 * An instant as Asia/Shanghai wall time, "2026-12-05 14:30". China keeps UTC+8 all year, so the
 * offset is written, not looked up (the same as the broadcast form does).
 */
export function shanghai(iso: string | undefined): string {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) return '';
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** An instant as the value of a datetime-local input in Asia/Shanghai. */
export const shanghaiInput = (iso: string | undefined) => shanghai(iso).replace(' ', 'T');

/** Names in the page language for the ids an item carries; the id itself when the catalog lacks it. */
export interface KnowledgeNamer {
  region: (id: string) => string;
  commodity: (id: string) => string;
  /** GB/T 2260 code of a region, when the catalog has one. */
  gbcode: (id: string) => string | undefined;
}

export function knowledgeNamer(catalog: Catalog, t: Translator, lang: Language): KnowledgeNamer {
  return {
    region: (id) => {
      if (id === '*') return t('web:knowledge.everywhere');
      const r = catalog.regions.get(id);
      return r ? primaryName(r.names, lang) : id;
    },
    commodity: (id) => {
      const c = catalog.commodities.get(id);
      return c ? primaryName(c.names, lang) : id;
    },
    gbcode: (id) => catalog.regions.get(id)?.gbcode,
  };
}

/** A severity with its word, never colour alone (the colour is a second cue). */
export function SeverityBadge(props: { t: Translator; severity: Severity }) {
  return <strong class={`sev sev-${props.severity}`}>{props.t(`web:knowledge.severity.${props.severity}`)}</strong>;
}

/** "1.2 MB", "340 KB": a link's size, so a reader on a slow line knows before opening it. */
export function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

const typeLabel: Record<Attachment['type'], string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'application/pdf': 'PDF',
};

/** Attachments as links with their type and size: no image is put inline, so a page stays light. */
export function AttachmentLinks(props: {
  t: Translator;
  files: Array<Pick<Attachment, 'id' | 'name' | 'type' | 'bytes' | 'key'>>;
  url: (key: string) => string;
}) {
  if (!props.files.length) return null;
  return (
    <section>
      <h2>{props.t('web:knowledge.attachments')}</h2>
      <ul class="files">
        {props.files.map((f) => (
          <li>
            <a href={props.url(f.key)}>{f.name}</a>{' '}
            <small class="muted">
              {typeLabel[f.type] ?? f.type} · {fileSize(f.bytes)}
            </small>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A body as paragraphs (blank lines part them; single line breaks are kept by the stylesheet). */
export function Body(props: { text: string }) {
  return (
    <div class="k-body">
      {props.text
        .split(/\r?\n\s*\r?\n/)
        .filter((p) => p.trim())
        .map((p) => (
          <p>{p.trim()}</p>
        ))}
    </div>
  );
}
