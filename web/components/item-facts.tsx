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
      <span lang="bo">{a}</span> <span class="wylie" lang="bo-Latn">{aliases.wylie[i]}</span>
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
