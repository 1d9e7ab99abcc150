import type { Child } from 'hono/jsx';
import type { Translator } from '#core/i18n.ts';
import type { Aliases, Confidence } from '#core/reference/schemas.ts';

/** Definition list of an item's facts; rows with no value are left out. */
export function Facts(props: { rows: Array<[string, Child | null | undefined]> }) {
  return (
    <dl class="facts">
      {props.rows
        .filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
    </dl>
  );
}

export function AliasList(props: { aliases: Aliases }) {
  const { aliases } = props;
  const bo = aliases.bo.map((a, i) => (
    <li>
      <span lang="bo">{a}</span>{' '}
      <span class="wylie" lang="bo-Latn">
        {aliases.wylie[i]}
      </span>
    </li>
  ));
  const zh = aliases.zh.map((a) => <li lang="zh">{a}</li>);
  const en = aliases.en.map((a) => <li lang="en">{a}</li>);
  const all = [...bo, ...zh, ...en];
  return all.length ? <ul class="aliases">{all}</ul> : null;
}

export function ConfidenceBadge(props: { t: Translator; confidence: Confidence }) {
  return <span class={`badge badge-${props.confidence}`}>{props.t(`common:confidence.${props.confidence}`)}</span>;
}

/** A link's text: the address's site. */
const linkText = (url: URL) => url.hostname.replace(/^www\./, '');

/**
 * An item's research sources as a reader sees them: the citations as written, but every web
 * address a link labelled with its site ("en.wikipedia.org"), not a raw URL that runs off a
 * phone's screen. Trailing punctuation stays text.
 */
export function SourceText(props: { source: string }) {
  const parts: Child[] = [];
  let at = 0;
  for (const m of props.source.matchAll(/https?:\/\/\S+/g)) {
    // Punctuation that ends the citation is not part of the address; a ")" is, when the address opened one.
    let text = m[0].replace(/[.,;:]+$/, '');
    if (text.endsWith(')') && !text.includes('(')) text = text.replace(/\)+$/, '').replace(/[.,;:]+$/, '');
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      continue;
    }
    parts.push(
      props.source.slice(at, m.index),
      <a href={url.href} rel="nofollow noopener noreferrer">
        {linkText(url)}
      </a>,
    );
    at = m.index + text.length;
  }
  parts.push(props.source.slice(at));
  return <small class="source">{parts}</small>;
}
