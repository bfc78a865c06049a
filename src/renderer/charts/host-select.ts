/**
 * The Host select of Charts and Sessions (DOM side of `hostPicker` in charts-model.ts): its options, the picked
 * host, and hidden while the store holds one host.
 *   const { select, box } = createHostSelect('chart-host', 'The PC whose stored data is charted.')
 *   showHostPicker(select, box, hostPicker(list, readHost(localStorage)))
 */
import { field, h, replaceChildren } from '../dom';
import type { HostPicker } from './charts-model';

export function createHostSelect(id: string, hint: string): { select: HTMLSelectElement; box: HTMLElement } {
  const select = h('select', { id });
  const box = field('Host', select, hint);
  box.hidden = true;
  return { select, box };
}

export function showHostPicker(select: HTMLSelectElement, box: HTMLElement, view: HostPicker): void {
  replaceChildren(
    select,
    ...view.options.map((o) => h('option', { value: o.value, selected: o.value === view.selected }, o.label)),
  );
  select.value = view.selected;
  box.hidden = !view.shown;
}
