<#
.SYNOPSIS
    The drift check of many tenants, side by side in one run against the lab: Test-VdcTenant over
    -Count tenants (into Export-Csv) and the raw HTTP floor of the same reads at the same concurrency.

.DESCRIPTION
    Creates -Count managed tenants straight through the Keystone API (raw-quota-floor.py create: plan
    vdc-small, state active, no user and no quota history, so each reports UserMissing and its quotas
    against the plan's defaults), then measures:
      - Test-VdcTenant -Name '<run>-*' -ThrottleLimit N | Export-Csv: one project list, then per tenant
        Nova, Cinder and Neutron quota reads (the plan has no starter network; there is no user to read),
        N tenants at a time, so at most N requests in flight;
      - the raw floor (raw-quota-floor.py read): the same project list and the same 3 GETs per tenant
        from Python's stdlib with N requests in flight.
    Prints seconds, ms per tenant, the ratio to the floor and the process's working set before and after
    (memory should not grow with the tenants: rows are streamed), checks that the CSV has one header and
    one UserMissing row per tenant, and deletes the tenants. Nothing is asserted on times.

.EXAMPLE
    dotnet pwsh ./bench/Measure-Drift.ps1 -Count 300 -ThrottleLimit 4
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/VdcPS/VdcPS.psd1'),
    [int] $Count = 300,
    [int[]] $ThrottleLimit = @(4),
    [string] $CsvPath = (Join-Path ([IO.Path]::GetTempPath()) "vdcps-drift-bench-$PID.csv")
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$repo = Resolve-Path (Join-Path $PSScriptRoot '..')
if (-not $env:OS_CLIENT_CONFIG_FILE) { $env:OS_CLIENT_CONFIG_FILE = Join-Path $repo '.lab/clouds.yaml' }
$env:VDCPS_PLAN_CATALOG = Join-Path $repo 'examples/plans.yaml'
Import-Module $ModulePath -Force
$set = New-BenchTenantSet -Count $Count -Prefix 'dbench'
$run = $set.Run
$sw = [Diagnostics.Stopwatch]::new()

$results = [System.Collections.Generic.List[object]]::new()
try {
    $ctx = Connect-VdcCloud -Cloud vdcps-lab
    $microversion = ($ctx.ComputeMicroversions -split '-')[-1]
    Test-VdcTenant -Name "$run-0000" | Out-Null   # warm: like any session's first call
    foreach ($throttle in $ThrottleLimit) {
        Write-Host "Test-VdcTenant -ThrottleLimit $throttle | Export-Csv ..."
        [GC]::Collect()
        $memBefore = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64
        $before = Get-BenchLoad
        $sw.Restart()
        Test-VdcTenant -Name "$run-*" -ThrottleLimit $throttle | Export-Csv -Path $CsvPath -NoTypeInformation
        $vdc = $sw.Elapsed.TotalSeconds
        $memAfter = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64
        $lines = Get-Content $CsvPath
        $rows = Import-Csv $CsvPath
        $clean = (@($lines | Where-Object { $_ -eq $lines[0] }).Count -eq 1) -and
            (@($rows | Where-Object Kind -eq 'UserMissing').Count -eq $Count) -and
            (@($rows.TenantId | Sort-Object -Unique).Count -eq $Count)
        $results.Add([pscustomobject]@{ Tool = "VdcPS Test-VdcTenant (throttle $throttle)"; Tenants = $Count; Requests = 1 + 3 * $Count; Seconds = [math]::Round($vdc, 2)
                Rows = $rows.Count; CsvClean = $clean; WorkingSetMB = ("{0:0} -> {1:0}" -f ($memBefore / 1MB), ($memAfter / 1MB)); Load = "$before" })

        $results.Add((Measure-QuotaFloor -Set $set -Throttle $throttle -Microversion $microversion))
    }
}
finally {
    Remove-BenchTenantSet $set
    Remove-Item $CsvPath -ErrorAction SilentlyContinue
}

Add-FloorRatio $results
$results | Format-Table Tool, Tenants, Requests, Seconds, MsPerTenant, VsRawFloor, Rows, CsvClean, WorkingSetMB, Load -AutoSize | Out-String -Width 200 | Write-Host
$vdcBest = $results | Where-Object Tool -like 'VdcPS*' | Sort-Object MsPerTenant | Select-Object -First 1
Add-BenchRatio 'drift check' "VdcPS Test-VdcTenant / raw floor ($Count tenants, $($vdcBest.Tool))" $vdcBest.VsRawFloor '<= 1.2'
Add-BenchRatio 'drift check' 'working set during the check (MB)' $vdcBest.WorkingSetMB 'flat'
