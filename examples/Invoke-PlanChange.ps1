<#
.SYNOPSIS
    Plan change runbook: moves a tenant to another plan; its quotas follow the new plan.

.EXAMPLE
    ./Invoke-PlanChange.ps1 -Name acme-prod -Plan vdc-large
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $Name,
    [Parameter(Mandatory)] [string] $Plan,
    [string] $CatalogPath
)
$ErrorActionPreference = 'Stop'
$common = @{}
if ($CatalogPath) { $common.CatalogPath = $CatalogPath }
$before = Get-VdcTenant -Name $Name
# Refused with QuotaBelowUsage when the tenant uses more than the new plan allows: nothing changes then.
$after = Set-VdcTenant -Name $Name -Plan $Plan -PassThru @common -WhatIf:$WhatIfPreference
if ($after) {
    Write-Host "  $Name moved from $($before.Plan) to $($after.Plan)"
    $after
}
