import type { DialogApi } from 'naive-ui';

/** Asks before a consequential action; resolves true when confirmed. */
export function confirmAction(
  dialog: DialogApi,
  opts: { title: string; content: string; positiveText: string; negativeText: string; danger?: boolean },
): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: boolean) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    dialog[opts.danger ? 'error' : 'warning']({
      title: opts.title,
      content: opts.content,
      positiveText: opts.positiveText,
      negativeText: opts.negativeText,
      positiveButtonProps: { 'data-testid': 'confirm-ok' } as never,
      negativeButtonProps: { 'data-testid': 'confirm-cancel' } as never,
      onPositiveClick: () => settle(true),
      onNegativeClick: () => settle(false),
      onClose: () => settle(false),
      onMaskClick: () => settle(false),
      onAfterLeave: () => settle(false),
    });
  });
}
