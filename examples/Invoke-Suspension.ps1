<#
.SYNOPSIS
    Suspension for non-payment: suspends every tenant of the customers listed as overdue, and
    resumes those whose payment has arrived. Safe to run every day.

.EXAMPLE
    ./Invoke-Suspension.ps1 -OverdueCustomerId CUST-1002
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string[]] $OverdueCustomerId = @(),
    [string[]] $PaidCustomerId = @()
)
$ErrorActionPreference = 'Stop'
if ($OverdueCustomerId) {
    Get-VdcTenant -CustomerId $OverdueCustomerId -State Active | Suspend-VdcTenant -PassThru -WhatIf:$WhatIfPreference |
        ForEach-Object { Write-Host "  suspended $($_.Name) ($($_.CustomerId)) at $($_.SuspendedAt.ToString('u'))"; $_ }
}
if ($PaidCustomerId) {
    Get-VdcTenant -CustomerId $PaidCustomerId -State Suspended | Resume-VdcTenant -PassThru -WhatIf:$WhatIfPreference |
        ForEach-Object { Write-Host "  resumed $($_.Name) ($($_.CustomerId))"; $_ }
}
