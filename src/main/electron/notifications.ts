/**
 * Native notifications for what the policy decides (notification-policy.ts): an upload that keeps failing,
 * a spool near its cap, recovery. Clicking one opens the dashboard.
 *   const notifier = createNotifier({ Notification, policy, iconPath, onClick: () => dashboard.show() })
 *   events.on('upload', notifier.onUpload); events.on('status', notifier.onStatus)
 *   events.on('alert', notifier.onAlert)   a threshold alert core fired (core decides; one per episode)
 */
import type { Notification } from 'electron';
import type { AgentStatus, UploadRecord } from '../../shared/agent-status';
import type { AlertEvent, CloudHealth } from '../../shared/contract';
import type { Note, NotificationPolicy } from './notification-policy';

export interface NotifierDeps {
  Notification: Pick<typeof Notification, 'isSupported'> &
    (new (
      options: Electron.NotificationConstructorOptions,
    ) => Notification);
  policy: NotificationPolicy;
  iconPath?: string;
  onClick(): void;
}

export function createNotifier(deps: NotifierDeps) {
  const show = (note: Note | null) => {
    if (!note || !deps.Notification.isSupported()) return;
    const notification = new deps.Notification({
      title: note.title,
      body: note.body,
      ...(deps.iconPath ? { icon: deps.iconPath } : {}),
    });
    notification.on('click', deps.onClick);
    notification.show();
  };
  return {
    onUpload: (record: UploadRecord) => show(deps.policy.onUpload(record)),
    onStatus: (status: AgentStatus) => show(deps.policy.onStatus(status)),
    onCloudHealth: (health: CloudHealth) => show(deps.policy.onCloudHealth(health)),
    onAlert: (alert: AlertEvent) => {
      // A late alert is the log's past (a first start on an old log): listed, not announced.
      if (alert.kind === 'fired' && !alert.late)
        show({ kind: 'alert', title: 'GPU-Z Cloud alert', body: alert.message });
    },
  };
}
