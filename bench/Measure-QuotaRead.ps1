<#
.SYNOPSIS
    Reading quotas of many tenants, side by side in one run against the lab: Get-VdcQuota (piped from
    Get-VdcTenant into Export-Csv), a loop of `openstack quota show` over the same tenants, and the raw
    HTTP floor (the same GETs from Python's stdlib at the same concurrency).

.DESCRIPTION
    Creates -Count managed tenants (Keystone projects with vdcps_plan, made straight through the API),
    measures, checks the CSV (one header, the same columns on every line, one row per tenant, service
    and resource), prints seconds, tenants per second and the ratios, and deletes the tenants again.
    Nothing here is asserted: the numbers depend on the machine and its load (printed with them).

.EXAMPLE
    dotnet pwsh ./bench/Measure-QuotaRead.ps1 -Count 300 -ThrottleLimit 4
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/VdcPS/VdcPS.psd1'),
    [int] $Count = 300,
    # Requests in flight for Get-VdcQuota and for the raw floor (the same number for both).
    [int[]] $ThrottleLimit = @(4),
    # The CLI takes more than a second per tenant; lower this to loop over fewer tenants (compared per tenant).
    [int] $CliCount = $Count,
    [string] $CsvPath = (Join-Path ([IO.Path]::GetTempPath()) "vdcps-quota-bench-$PID.csv")
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$repo = Resolve-Path (Join-Path $PSScriptRoot '..')
$env:OS_CLIENT_CONFIG_FILE = Join-Path $repo '.lab/clouds.yaml'
$env:VDCPS_PLAN_CATALOG = Join-Path $repo 'examples/plans.yaml'
Import-Module $ModulePath -Force
$set = New-BenchTenantSet -Count $Count -Prefix 'qbench'
$run = $set.Run
$sw = [Diagnostics.Stopwatch]::new()

try {
    $ctx = Connect-VdcCloud -Cloud vdcps-lab
    $microversion = ($ctx.ComputeMicroversions -split '-')[-1]
    Get-VdcTenant -Name "$run-0000" | Get-VdcQuota | Out-Null   # warm: like any session's first call
    $results = [System.Collections.Generic.List[object]]::new()

    foreach ($throttle in $ThrottleLimit) {
        # --- VdcPS: the "done when" pipeline, streamed into a CSV file
        Write-Host "Get-VdcTenant | Get-VdcQuota -ThrottleLimit $throttle | Export-Csv ..."
        $before = Get-BenchLoad
        $sw.Restart()
        Get-VdcTenant -Name "$run-*" | Get-VdcQuota -ThrottleLimit $throttle | Export-Csv -Path $CsvPath -NoTypeInformation
        $vdc = $sw.Elapsed.TotalSeconds
        $lines = Get-Content $CsvPath
        $rows = Import-Csv $CsvPath
        $header = $lines[0]
        $clean = (@($lines | Where-Object { $_ -eq $header }).Count -eq 1) -and
            (@($rows | Where-Object { @($_.PSObject.Properties).Count -ne 17 }).Count -eq 0) -and
            (@($rows.TenantId | Sort-Object -Unique).Count -eq $Count)
        $results.Add([pscustomobject]@{ Tool = "VdcPS Get-VdcQuota (throttle $throttle)"; Tenants = $Count; Requests = 1 + 3 * $Count; Seconds = [math]::Round($vdc, 2)
                Rows = $rows.Count; CsvClean = $clean; Load = "$before" })

        # --- raw floor: the same GETs at the same concurrency
        $results.Add((Measure-QuotaFloor -Set $set -Throttle $throttle -Microversion $microversion))
    }

    # --- openstack CLI: one `quota show` per tenant, one after the other (limits only: no usage)
    Write-Host "openstack quota show loop over $CliCount tenants ..."
    $before = Get-BenchLoad
    $sw.Restart()
    foreach ($id in $set.Ids | Select-Object -First $CliCount) {
        & openstack --os-cloud vdcps-lab quota show $id -f json *> $null
        if ($LASTEXITCODE) { throw "openstack quota show $id failed" }
    }
    $cli = $sw.Elapsed.TotalSeconds
    $results.Add([pscustomobject]@{ Tool = 'openstack quota show loop'; Tenants = $CliCount; Requests = $null; Seconds = [math]::Round($cli, 2)
            Rows = $null; CsvClean = $null; Load = "$before" })
}
finally {
    Remove-BenchTenantSet $set
    Remove-Item $CsvPath -ErrorAction SilentlyContinue
}

# per tenant, and relative to the raw floor at the same concurrency
Add-FloorRatio $results -OthersToBestFloor
$results | Format-Table Tool, Tenants, Requests, Seconds, MsPerTenant, TenantsPerSecond, VsRawFloor, Rows, CsvClean, Load -AutoSize | Out-String -Width 200 | Write-Host
$vdcBest = ($results | Where-Object Tool -like 'VdcPS*' | Sort-Object MsPerTenant | Select-Object -First 1)
$cliRow = $results | Where-Object Tool -like 'openstack*'
Write-Host ("Ratios per tenant: VdcPS / raw floor = {0}; openstack CLI loop / VdcPS = {1}; openstack CLI loop / raw floor = {2}" -f `
        $vdcBest.VsRawFloor, [math]::Round($cliRow.MsPerTenant / $vdcBest.MsPerTenant, 1), $cliRow.VsRawFloor)
Add-BenchRatio 'quota read' "VdcPS / raw floor ($Count tenants x 3 services, $($vdcBest.Tool))" $vdcBest.VsRawFloor '<= 1.2'
Add-BenchRatio 'quota read' 'openstack CLI loop / VdcPS' ([math]::Round($cliRow.MsPerTenant / $vdcBest.MsPerTenant, 1)) '~35 implied'
Add-BenchRatio 'quota read' 'openstack CLI loop / raw floor' $cliRow.VsRawFloor '' 
