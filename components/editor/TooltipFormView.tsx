/**
 * The form view of a tooltip, for admins who never want to see YAML. Every change is written
 * into the YAML (lib/editor/tooltip-form.ts) by the section, so both views show the same file.
 */
import { FORM_LOCALES, PLACEMENTS, STRATEGIES, type StrategyKind, type TooltipForm } from '../../lib/editor/tooltip-form';

const STRATEGY_LABEL: Record<StrategyKind, string> = {
  role: 'Role and accessible name',
  label: 'Field label',
  text: 'Visible text',
  css: 'CSS selector',
};
const LOCALE_LABEL = { en: 'English', nb: 'Norwegian (bokmål)' } as const;

interface Props {
  screens: string[];
  screen: string;
  onScreen: (screen: string) => void;
  keys: string[];
  form: TooltipForm;
  isNew: boolean;
  onSelect: (key: string | null) => void;
  onChange: (form: TooltipForm) => void;
  onPick: () => void;
  picking: boolean;
}

export function TooltipFormView({ screens, screen, onScreen, keys, form, isNew, onSelect, onChange, onPick, picking }: Props) {
  const set = <K extends keyof TooltipForm>(key: K, value: TooltipForm[K]) => onChange({ ...form, [key]: value });
  return (
    <fieldset className="form-view">
      <legend>Tooltip</legend>
      <label htmlFor="ed-screen">Screen</label>
      <select id="ed-screen" value={screen} onChange={(e) => onScreen(e.target.value)}>
        {screens.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>

      <label htmlFor="ed-rule">Tooltip</label>
      <select id="ed-rule" value={isNew ? '' : form.key} onChange={(e) => onSelect(e.target.value || null)}>
        <option value="">New tooltip…</option>
        {keys.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
      {isNew && (
        <>
          <label htmlFor="ed-key">Key (lower-case, dashes: it becomes the rule's id)</label>
          <input id="ed-key" type="text" value={form.key} pattern="[a-z0-9]+(-[a-z0-9]+)*" onChange={(e) => set('key', e.target.value)} />
        </>
      )}

      <fieldset>
        <legend>Target: the element it points at</legend>
        <label htmlFor="ed-strategy">Find it by</label>
        <select id="ed-strategy" value={form.strategy} onChange={(e) => set('strategy', e.target.value as StrategyKind)}>
          {STRATEGIES.map((s) => (
            <option key={s} value={s}>
              {STRATEGY_LABEL[s]}
            </option>
          ))}
        </select>
        <label htmlFor="ed-value">{form.strategy === 'role' ? 'Role' : STRATEGY_LABEL[form.strategy]}</label>
        <input id="ed-value" type="text" value={form.value} onChange={(e) => set('value', e.target.value)} />
        {form.strategy === 'role' && (
          <>
            <label htmlFor="ed-name">Accessible name</label>
            <input id="ed-name" type="text" value={form.name} onChange={(e) => set('name', e.target.value)} />
          </>
        )}
        <p>
          <button type="button" onClick={onPick} disabled={picking}>
            {picking ? 'Picking in the CRM tab…' : 'Pick on page'}
          </button>
        </p>
      </fieldset>

      {(['title', 'text'] as const).map((field) =>
        FORM_LOCALES.map((l) => (
          <div key={`${field}-${l}`}>
            <label htmlFor={`ed-${field}-${l}`}>
              {field === 'title' ? 'Title' : 'Text'} ({LOCALE_LABEL[l]})
            </label>
            {field === 'title' ? (
              <input id={`ed-${field}-${l}`} type="text" value={form.title[l]} onChange={(e) => set('title', { ...form.title, [l]: e.target.value })} />
            ) : (
              <textarea id={`ed-${field}-${l}`} rows={3} value={form.text[l]} onChange={(e) => set('text', { ...form.text, [l]: e.target.value })} />
            )}
          </div>
        )),
      )}

      <label htmlFor="ed-placement">Placement</label>
      <select id="ed-placement" value={form.placement} onChange={(e) => set('placement', e.target.value as TooltipForm['placement'])}>
        {PLACEMENTS.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
    </fieldset>
  );
}
