/**
 * Permission code families: 1xxx payins and payouts, 2xxx finance, 3xxx exports, 4xxx merchant,
 * 5xxx platform. The codes themselves come from the server (`permissionCatalog`).
 */
export const PERMISSION_FAMILIES = ['1', '2', '3', '4', '5'] as const;
export type PermissionFamily = (typeof PERMISSION_FAMILIES)[number];

export function familyOf(code: number): PermissionFamily {
  const first = String(code)[0] as PermissionFamily;
  return (PERMISSION_FAMILIES as readonly string[]).includes(first) ? first : '5';
}
