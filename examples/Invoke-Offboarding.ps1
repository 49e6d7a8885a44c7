<#
.SYNOPSIS
    Offboarding: terminates a customer's tenants, deleting everything their projects own, and rates
    their last period from what the cloud keeps.

.DESCRIPTION
    Remove-VdcTenant deletes the projects' servers, volumes, networks and the rest, the users and the
    access, and keeps each project disabled and renamed (vdcps-terminated-<id>) with the tenant's
    record. The script then rates the current month for the terminated tenants (their last invoice,
    fees up to the termination day) and, with -Purge, deletes the kept records afterwards (only when
    the invoice lines were made). -LeaveResources leaves what the tenants own (use it only when the
    customer's data is dealt with elsewhere). Safe to rerun: an interrupted removal is finished, a
    terminated tenant is left as it is.

.EXAMPLE
    ./Invoke-Offboarding.ps1 -CustomerId CUST-1003 -Confirm:$false

.EXAMPLE
    ./Invoke-Offboarding.ps1 -CustomerId CUST-1003 -InvoicePath ./last-invoice.csv -Purge -Confirm:$false
#>
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
param(
    [Parameter(Mandatory)] [string] $CustomerId,
    [switch] $LeaveResources,
    # where the last invoice lines go (CSV); default: only shown
    [string] $InvoicePath,
    # delete the kept records after the last invoice was rated
    [switch] $Purge
)
$ErrorActionPreference = 'Stop'
$tenants = @(Get-VdcTenant -CustomerId $CustomerId)
foreach ($t in $tenants) {
    $t | Remove-VdcTenant -LeaveResources:$LeaveResources -PassThru -Confirm:$false -WhatIf:$WhatIfPreference -ErrorAction Continue -ErrorVariable refused |
        ForEach-Object { Write-Host "  terminated $($_.Name) ($($_.Plan)) of $CustomerId at $($_.TerminatedAt.ToString('u'))"; $_ }
    foreach ($e in $refused) { Write-Warning "$($t.Name) was not removed: $($e.Exception.Message)" }
}
if ($WhatIfPreference) { return }

# The last invoice: this month up to now, from the records the cloud keeps (no local file needed).
$terminated = @(Get-VdcTenant -CustomerId $CustomerId -State Terminated)
if (-not $terminated) { Write-Host "  customer $CustomerId has no terminated tenants"; return }
$now = [datetime]::UtcNow
$monthStart = [datetime]::new($now.Year, $now.Month, 1, 0, 0, 0, [DateTimeKind]::Utc)
$lines = @(Measure-VdcCharge -Tenant $terminated -Start $monthStart -End $now.Date.AddDays(1) -WarningAction SilentlyContinue)
foreach ($l in $lines) { Write-Host ("  last invoice: {0} {1} {2} {3}" -f $l.TenantName, $l.Description, $l.Amount, $l.Currency) }
if ($InvoicePath) { $lines | Export-Csv -Path $InvoicePath -NoTypeInformation }

if ($Purge) {
    # only after the last invoice was rated: from now on the period cannot be rated from the cloud
    $terminated | Remove-VdcTenant -Purge -Confirm:$false
    Write-Host "  purged the records of $($terminated.Count) terminated tenant(s) of $CustomerId"
}
