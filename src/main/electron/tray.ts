/**
 * The tray icon: shows a TrayView (from tray-menu.ts) and turns clicks into action ids.
 *   const tray = createAppTray({ Tray, Menu, nativeImage, iconDir, onAction })
 *   tray.show(buildTrayView(…))   icon, tooltip and menu follow the agent's state
 * Icons: {iconDir}/{watching,uploading,paused,error}.png with @2x variants that nativeImage picks on hi-DPI.
 */
import { join } from 'node:path';
import type { Menu, MenuItemConstructorOptions, NativeImage, nativeImage, Tray } from 'electron';
import type { TrayActionId, TrayIconState, TrayMenuItem, TrayView } from './tray-menu';

export interface AppTray {
  show(view: TrayView): void;
  /** What is shown now (the e2e hook reads it). */
  current(): TrayView | null;
  destroy(): void;
}

export interface AppTrayDeps {
  Tray: typeof Tray;
  Menu: Pick<typeof Menu, 'buildFromTemplate'>;
  nativeImage: Pick<typeof nativeImage, 'createFromPath'>;
  iconDir: string;
  onAction(id: TrayActionId): void;
}

/** TrayView items → Electron menu template (pure). */
export function toMenuTemplate(
  items: readonly TrayMenuItem[],
  onAction: (id: TrayActionId) => void,
): MenuItemConstructorOptions[] {
  return items.map((item) =>
    item.type === 'separator'
      ? { type: 'separator' }
      : {
          id: item.id,
          type: item.type,
          label: item.label,
          enabled: item.enabled,
          ...(item.type === 'checkbox' ? { checked: item.checked } : {}),
          click: () => onAction(item.id),
        },
  );
}

export function trayIconPath(iconDir: string, state: TrayIconState): string {
  return join(iconDir, `${state}.png`);
}

export function createAppTray(deps: AppTrayDeps): AppTray {
  const images = new Map<TrayIconState, NativeImage>();
  const image = (state: TrayIconState) => {
    let found = images.get(state);
    if (!found) {
      found = deps.nativeImage.createFromPath(trayIconPath(deps.iconDir, state));
      images.set(state, found);
    }
    return found;
  };
  const tray = new deps.Tray(image('watching'));
  // Windows: a left click opens the dashboard; the menu is on the right click.
  tray.on('click', () => deps.onAction('open-dashboard'));
  let shown: TrayView | null = null;

  return {
    show(view) {
      if (shown?.icon !== view.icon) tray.setImage(image(view.icon));
      if (shown?.tooltip !== view.tooltip) tray.setToolTip(view.tooltip);
      tray.setContextMenu(deps.Menu.buildFromTemplate(toMenuTemplate(view.items, deps.onAction)));
      shown = view;
    },
    current: () => shown,
    destroy: () => tray.destroy(),
  };
}
