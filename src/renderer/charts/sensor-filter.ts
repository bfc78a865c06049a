/**
 * The filter above Charts' sensor list (DOM side of `sensorMatches` in charts-model.ts): typing hides the sensors it
 * does not match, and a unit's group with none left, and says how many are left; Escape shows them all again. The
 * picked ones stay picked. An HWiNFO log lists 150–450 sensors.
 *   const filter = createSensorFilter(picker, () => sensors)
 *   box.insertBefore(filter.element, picker)    then filter.apply() after each refill of the list
 */
import type { SensorInfo } from '../../shared/contract';
import { h } from '../dom';
import { sensorMatches } from './charts-model';

export interface SensorFilter {
  /** The text field and its note, to put above the list. */
  element: HTMLElement;
  /** Shows the list's sensors that match what is typed (after the list was filled again). */
  apply(): void;
  /** Empties the field and shows every sensor. */
  clear(): void;
}

export function createSensorFilter(picker: HTMLSelectElement, sensors: () => SensorInfo[]): SensorFilter {
  const input = h('input', {
    id: `${picker.id}-filter`,
    type: 'search',
    placeholder: 'Filter: gpu temp, power, fan…',
    'aria-label': 'Filter sensors',
    autocomplete: 'off',
  });
  const note = h('p', {
    class: 'hint',
    'data-testid': 'chart-filter-note',
    'aria-live': 'polite',
    hidden: true,
  });

  function apply(): void {
    const all = sensors();
    const byKey = new Map(all.map((s) => [s.key, s]));
    let matching = 0;
    for (const group of picker.querySelectorAll('optgroup')) {
      let any = false;
      for (const option of group.querySelectorAll('option')) {
        const sensor = byKey.get(option.value);
        option.hidden = sensor === undefined || !sensorMatches(sensor, input.value);
        if (option.hidden) continue;
        any = true;
        matching += 1;
      }
      group.hidden = !any;
    }
    const typed = input.value.trim();
    note.hidden = typed === '';
    note.textContent =
      matching === 0
        ? `No sensor matches “${typed}” (of ${all.length}).`
        : `${matching} of ${all.length} sensors match.`;
  }

  function clear(): void {
    if (input.value === '') return;
    input.value = '';
    apply();
  }

  input.addEventListener('input', apply);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') clear();
  });
  return { element: h('div', { class: 'sensor-filter' }, input, note), apply, clear };
}
