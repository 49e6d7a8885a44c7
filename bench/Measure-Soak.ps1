<#
.SYNOPSIS
    Soak: create/remove cycles of a tenant (500 by default) against the lab; prints managed memory,
    process RSS, GC-committed memory, threads and open sockets every 50 cycles, and checks nothing is
    left in the cloud. A control process then sends the same number of requests with a bare
    HttpClient, so that RSS the .NET runtime gains by itself can be told from the module's.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/VdcPS/VdcPS.psd1'),
    [int] $Cycles = 500
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$repo = Resolve-Path (Join-Path $PSScriptRoot '..')
$env:OS_CLIENT_CONFIG_FILE = Join-Path $repo '.lab/clouds.yaml'
$env:VDCPS_PLAN_CATALOG = Join-Path $repo 'examples/plans.yaml'
$env:VDCPS_JOURNAL = Join-Path ([IO.Path]::GetTempPath()) "soak-journal-$PID.jsonl"
Import-Module $ModulePath -Force
Connect-VdcCloud -Cloud vdcps-lab | Out-Null
$prefix = 'soak-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
$sw = [Diagnostics.Stopwatch]::StartNew()
# Requests per cycle, counted once from -Debug (one line per HTTP request), for the control below.
$debug = New-VdcTenant -Name "$prefix-count" -Plan vdc-small -CustomerId C-SOAK -Debug -Verbose:$false 5>&1 4>$null |
    ForEach-Object { if ($_ -is [VdcPS.Models.VdcTenant]) { $_ | Remove-VdcTenant -Confirm:$false -Debug -Verbose:$false 5>&1 4>$null } else { $_ } }
$perCycle = Get-HttpRequestCount $debug
$samples = foreach ($i in 1..$Cycles) {
    New-VdcTenant -Name ('{0}-{1:d4}' -f $prefix, $i) -Plan vdc-small -CustomerId C-SOAK | Remove-VdcTenant -Confirm:$false
    if ($i % 50 -eq 0 -or $i -eq 1) {
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        [pscustomobject]@{
            Cycle = $i
            Seconds = [math]::Round($sw.Elapsed.TotalSeconds, 1)
            ManagedMiB = [math]::Round([GC]::GetTotalMemory($true) / 1MB, 1)
            RssMiB = [math]::Round((Get-Process -Id $PID).WorkingSet64 / 1MB, 1)
            # what the GC holds (heap plus its budget); RSS beyond it is native: code the JIT
            # re-compiles at tier 1 as calls get hot, thread stacks, malloc arenas
            GcCommittedMiB = [math]::Round([GC]::GetGCMemoryInfo().TotalCommittedBytes / 1MB, 1)
            Threads = (Get-Process -Id $PID).Threads.Count
            Sockets = @(Get-ChildItem "/proc/$PID/fd" | Where-Object { $_.LinkTarget -like 'socket:*' }).Count
        }
    }
}
$samples

# Control: a fresh pwsh sends the same number of requests with a bare HttpClient (GET of Keystone's
# version document), sampled at the same cycles: RSS the .NET HTTP stack and allocator gain on
# their own, which VdcPS's own drift is to be read against.
$control = @"
`$h = [Net.Http.HttpClient]::new()
foreach (`$i in 1..$Cycles) {
    foreach (`$k in 1..$perCycle) { `$null = `$h.GetStringAsync('http://127.0.0.1:5000/v3').GetAwaiter().GetResult() }
    if (`$i % 50 -eq 0 -or `$i -eq 1) {
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        '{0} {1} {2}' -f `$i, ((Get-Process -Id `$PID).WorkingSet64 / 1MB), ([GC]::GetGCMemoryInfo().TotalCommittedBytes / 1MB)
    }
}
"@
$controlSamples = Invoke-BenchPwsh $control |
    ForEach-Object { $c, $r, $g = $_ -split ' '; [pscustomobject]@{ Cycle = [int]$c; ControlRssMiB = [math]::Round([double]$r, 1); ControlGcCommittedMiB = [math]::Round([double]$g, 1) } }
Write-Host "Control: $perCycle plain HttpClient requests per cycle (what one New-VdcTenant | Remove-VdcTenant sends)"
$controlSamples | Format-Table -AutoSize | Out-String | Write-Host
$left = @(& openstack --os-cloud vdcps-lab project list -f value -c Name | Where-Object { $_ -like "$prefix-*" }).Count
[pscustomobject]@{ Cycle = 'leftover projects'; Seconds = $null; ManagedMiB = $null; RssMiB = $null; Sockets = $left; GcCommittedMiB = $null; Threads = $null }
$first = @($samples)[0]; $last = @($samples)[-1]
$second = @($samples)[[math]::Min(1, @($samples).Count - 1)]   # cycle 50 (after warm-up) when the run is that long
Add-BenchRatio 'soak' "$Cycles create/remove cycles: managed MiB, sockets (cycle $($first.Cycle) -> $($last.Cycle))" ("{0} -> {1}, {2} -> {3}" -f $first.ManagedMiB, $last.ManagedMiB, $first.Sockets, $last.Sockets) 'no growth'
Add-BenchRatio 'soak' "RSS MiB (GC committed MiB), cycle $($second.Cycle) -> $($last.Cycle)" ("{0} -> {1} ({2} -> {3})" -f $second.RssMiB, $last.RssMiB, $second.GcCommittedMiB, $last.GcCommittedMiB) 'plateau'
$c2 = @($controlSamples)[[math]::Min(1, @($controlSamples).Count - 1)]; $cl = @($controlSamples)[-1]
Add-BenchRatio 'soak' "control, bare HttpClient, same $perCycle requests per cycle: RSS MiB (GC committed MiB), cycle $($c2.Cycle) -> $($cl.Cycle)" ("{0} -> {1} ({2} -> {3})" -f $c2.ControlRssMiB, $cl.ControlRssMiB, $c2.ControlGcCommittedMiB, $cl.ControlGcCommittedMiB) ''
Add-BenchRatio 'soak' 'leftover projects in the cloud (openstack project list)' $left '0'

Remove-Item $env:VDCPS_JOURNAL -ErrorAction SilentlyContinue
