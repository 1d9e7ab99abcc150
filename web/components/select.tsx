/** A form's select, its error tied to it for screen readers (aria-describedby → `<id>-error`), the chosen option kept. */

export type Option = { id: string; label: string };

export const Select = (props: {
  id: string;
  name: string;
  value: string;
  options: Option[];
  blank?: string;
  error?: string | undefined;
}) => (
  <select
    id={props.id}
    name={props.name}
    aria-invalid={props.error ? 'true' : undefined}
    aria-describedby={props.error ? `${props.id}-error` : undefined}
  >
    {props.blank !== undefined ? <option value="">{props.blank}</option> : null}
    {props.options.map((o) => (
      <option value={o.id} selected={o.id === props.value}>
        {o.label}
      </option>
    ))}
  </select>
);

/** A filter's select inside its label: the label's text, then the select (GET filter forms). */
export const LabelledSelect = (props: {
  id: string;
  name: string;
  label: string;
  value: string;
  options: Option[];
  blank?: string | undefined;
}) => (
  <label for={props.id}>
    {props.label}{' '}
    <Select
      id={props.id}
      name={props.name}
      value={props.value}
      options={props.options}
      {...(props.blank !== undefined ? { blank: props.blank } : {})}
    />
  </label>
);

/** A queue's region chooser: a GET form that reloads the page for the region picked (no JavaScript). */
export const RegionFilter = (props: {
  action: string;
  label: string;
  show: string;
  regions: Option[];
  value: string;
}) => (
  <form method="get" action={props.action} class="inline-form region-filter">
    <label for="region">{props.label}</label>{' '}
    <Select id="region" name="region" value={props.value} options={props.regions} />{' '}
    <button type="submit" class="secondary">
      {props.show}
    </button>
  </form>
);
