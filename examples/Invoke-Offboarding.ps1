<#
.SYNOPSIS
    Offboarding: terminates a customer's tenants, deleting everything their projects own.

.DESCRIPTION
    Remove-VdcTenant deletes the projects' servers, volumes, networks and the rest, then the
    tenants. -LeaveResources removes the tenants and leaves what they own (use it only when the
    customer's data is dealt with elsewhere). Safe to rerun: an interrupted removal is finished.

.EXAMPLE
    ./Invoke-Offboarding.ps1 -CustomerId CUST-1003 -Confirm:$false
#>
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
param(
    [Parameter(Mandatory)] [string] $CustomerId,
    [switch] $LeaveResources
)
$ErrorActionPreference = 'Stop'
$tenants = @(Get-VdcTenant -CustomerId $CustomerId)
if (-not $tenants) { Write-Host "  customer $CustomerId has no tenants"; return }
foreach ($t in $tenants) {
    $t | Remove-VdcTenant -LeaveResources:$LeaveResources -PassThru -Confirm:$false -WhatIf:$WhatIfPreference -ErrorAction Continue -ErrorVariable refused |
        ForEach-Object { Write-Host "  removed $($_.Name) ($($_.Plan)) of $CustomerId"; $_ }
    foreach ($e in $refused) { Write-Warning "$($t.Name) was not removed: $($e.Exception.Message)" }
}
