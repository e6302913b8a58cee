/**
 * What both backends' period streams share: a report reads each part as two scans in one order
 * — the periods from the report index alone (tenant, VM, start, end) and the part's VMs with
 * their names (`vms_tenant`) — and gives each period the VM the VM scan has moved on to. A
 * period whose VM the scan passes without meeting has a tenant copy that disagrees with its VM's.
 */

/** A VM as its scan gives it: tenant id, id, name, tenant name. */
export type VmRow = readonly [string | null, string, string, string | null];

/** Whether `vm` is the VM of a period of `tenantId` and `vmId`. */
export const isVmOf = (vm: VmRow, tenantId: string | null, vmId: string): boolean =>
  vm[1] === vmId && vm[0] === tenantId;

/** The error of a period whose VM is not where the VM scan's order puts it. */
export const vmOutOfOrder = (tenantId: string | null, vmId: string): Error =>
  new Error(
    `period stream: VM ${JSON.stringify(vmId)} of tenant ${JSON.stringify(tenantId)} ` +
      "is not among the part's VMs in their order (the period's tenant copy is stale)",
  );
