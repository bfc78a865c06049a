import { join } from 'node:path';
import { toMenuTemplate, trayIconPath } from './tray';
import type { TrayActionId } from './tray-menu';

describe('tray adapter', () => {
  it('turns the view items into an Electron menu template whose clicks report the action id', () => {
    const clicked: TrayActionId[] = [];
    const template = toMenuTemplate(
      [
        { type: 'normal', id: 'open-dashboard', label: 'Open dashboard', enabled: true },
        { type: 'separator' },
        { type: 'checkbox', id: 'toggle-login-item', label: 'Start at login', enabled: true, checked: true },
        { type: 'normal', id: 'upload-now', label: 'Upload now', enabled: false },
      ],
      (id) => clicked.push(id),
    );
    expect(template.map(({ click: _click, ...rest }) => rest)).toEqual([
      { id: 'open-dashboard', type: 'normal', label: 'Open dashboard', enabled: true },
      { type: 'separator' },
      { id: 'toggle-login-item', type: 'checkbox', label: 'Start at login', enabled: true, checked: true },
      { id: 'upload-now', type: 'normal', label: 'Upload now', enabled: false },
    ]);
    for (const item of template) (item.click as (() => void) | undefined)?.();
    expect(clicked).toEqual(['open-dashboard', 'toggle-login-item', 'upload-now']);
    expect(trayIconPath('/res/tray', 'uploading')).toBe(join('/res/tray', 'uploading.png'));
  });
});
