/**
 * A moderator's or reviewer's two decisions on one item, each its own small POST form (no
 * JavaScript): approve, and reject with a required reason. The price review and the exchange's
 * moderation queue both use it; `hidden` carries the CSRF token and what identifies the item.
 */
import type { Child } from 'hono/jsx';

export function DecisionForms(props: {
  /** The path the forms post to: `<base>/approve`, `<base>/reject`. */
  base: string;
  hidden: Child;
  labels: { approve: string; reject: string; reason: string };
}) {
  const { base, hidden, labels } = props;
  return (
    <>
      <form method="post" action={`${base}/approve`} class="inline-form">
        {hidden}
        <button type="submit">{labels.approve}</button>
      </form>{' '}
      <form method="post" action={`${base}/reject`} class="inline-form reject-form">
        {hidden}
        <input name="reason" required maxlength={200} aria-label={labels.reason} placeholder={labels.reason} />{' '}
        <button type="submit" class="secondary">
          {labels.reject}
        </button>
      </form>
    </>
  );
}
