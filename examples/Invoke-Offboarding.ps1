<#
.SYNOPSIS
    Clean offboarding: removes a customer's tenants once they own nothing any more.

.DESCRIPTION
    Remove-VdcTenant refuses while a project still owns servers, volumes, networks or other
    resources and lists them: the runbook reports those tenants and removes the rest. With
    -Force it removes them anyway (the resources are left without an owner: use it only after the
    customer's data has been dealt with). Safe to rerun: an interrupted removal is finished.

.EXAMPLE
    ./Invoke-Offboarding.ps1 -CustomerId CUST-1003 -Confirm:$false
#>
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
param(
    [Parameter(Mandatory)] [string] $CustomerId,
    [switch] $Force
)
$ErrorActionPreference = 'Stop'
$tenants = @(Get-VdcTenant -CustomerId $CustomerId)
if (-not $tenants) { Write-Host "  customer $CustomerId has no tenants"; return }
foreach ($t in $tenants) {
    $t | Remove-VdcTenant -Force:$Force -PassThru -Confirm:$false -WhatIf:$WhatIfPreference -ErrorAction Continue -ErrorVariable refused |
        ForEach-Object { Write-Host "  removed $($_.Name) ($($_.Plan)) of $CustomerId"; $_ }
    foreach ($e in $refused) { Write-Warning "$($t.Name) was not removed: $($e.Exception.Message)" }
}
