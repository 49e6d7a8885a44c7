<#
.SYNOPSIS
    A month of usage for the whole lab cloud, at 1x and 10x instances: Get-VdcUsage vs
    `openstack --os-compute-api-version 2.40 usage list` vs the raw HTTP floor (bench/raw-usage.py,
    Python stdlib). Prints seconds, peak memory and the ratios; asserts nothing. Cleans up after itself.
.DESCRIPTION
    Seeds Instances instances over Projects projects (then Factor times as many of both) into an old
    month with tests/lab/seed-usage.py (Nova rows only; the projects are not created in Keystone, so
    that the 10x run does not spend minutes there), and runs each tool in its own process:
    - VdcPS: a fresh pwsh imports the module, connects, then streams Get-VdcUsage -Source Nova (rows
      consumed one by one, as Export-Csv would). "call s" is the cmdlet alone; "process s" the whole
      child process; peak MiB is the process's VmHWM; "+MiB" its growth during the call; "GC committed"
      the memory the .NET GC holds at the end (its allocation budget, mostly garbage not yet
      collected); "live MiB (max)" comes from another run that forces a full collection every 1,000
      rows and keeps the largest live managed heap: what the module really retains while streaming.
    - openstack CLI at 2.40 (-f json to /dev/null) under /usr/bin/time: wall seconds, max RSS.
    - raw floor (bench/raw-usage.py, written from the API reference, not from VdcPS): the fewest
      requests for the same tenant totals (token, pages of 1,000 at 2.40 with detailed=0, tenants
      merged across pages, one project list) from Python's stdlib. With -Detailed also the floor at
      detailed=1, so the bytes and seconds of the per-server lines show.
    Every tool's instance-hours are printed, so a wrong total would show.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/VdcPS/VdcPS.psd1'),
    [int] $Instances = 3000,
    [int] $Projects = 300,
    [int] $Factor = 10,
    [string] $Month = '2023-05',
    [int] $Seed = 9301,
    # also time -Detailed (per-server rows held until their tenant is written)
    [switch] $Detailed,
    # scale the instances only, over the same number of tenants (by default both grow)
    [switch] $SameTenants
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$repo = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$lab = if ($env:VDCPS_LAB_DIR) { $env:VDCPS_LAB_DIR } else { Join-Path $repo '.lab' }
$clouds = Join-Path $lab 'clouds.yaml'
$env:OS_CLIENT_CONFIG_FILE = $clouds
$ModulePath = (Resolve-Path $ModulePath).Path
$seeder = Join-Path $repo 'tests/lab/seed-usage.py'
$start = [datetime]::ParseExact("$Month-01", 'yyyy-MM-dd', [cultureinfo]::InvariantCulture)
$end = $start.AddMonths(1)
$startText = $start.ToString('yyyy-MM-ddTHH:mm:ss'); $endText = $end.ToString('yyyy-MM-ddTHH:mm:ss')

function Invoke-Seeder([string[]] $Arguments) {
    $out = & /usr/bin/python3 $seeder --lab $lab @Arguments 2>$null
    if ($LASTEXITCODE) { throw "seed-usage.py $Arguments failed" }
    return ($out -join "`n") | ConvertFrom-Json
}

function Clear-Seeded([string[]] $Ids) {
    # in batches: thousands of ids do not fit one command line
    for ($i = 0; $i -lt $Ids.Count; $i += 500) {
        Invoke-Seeder @('--clear-project', ($Ids[$i..([math]::Min($i + 499, $Ids.Count - 1))] -join ','), '--keep-projects') | Out-Null
    }
}

function Measure-VdcPS([switch] $Detail, [switch] $Probe) {
    # -Probe: a separate run that forces a full collection every 1,000 rows and keeps the largest
    # live managed heap seen while the rows stream (too slow to time; it shows what is retained).
    $probeLine = if ($Probe) { 'if ($n % 1000 -eq 0) { $m = [GC]::GetTotalMemory($true); if ($m -gt $live) { $live = $m } }' } else { '' }
    $inner = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$ModulePath'
`$env:OS_CLIENT_CONFIG_FILE = '$clouds'
Connect-VdcCloud -Cloud vdcps-lab | Out-Null
function Get-Hwm { [long](@((Get-Content /proc/self/status) -match '^VmHWM:')[0] -replace '\D', '') / 1024 }
[GC]::Collect()
`$before = Get-Hwm
`$n = 0; `$hours = [decimal]0; `$live = [GC]::GetTotalMemory(`$true)
`$sw = [Diagnostics.Stopwatch]::StartNew()
Get-VdcUsage -Start '$startText' -End '$endText' -Source Nova -Detailed:`$$([bool]$Detail) | ForEach-Object {
    `$n++; if (-not `$_.IsDetail -and `$_.Resource -eq 'instance-hour') { `$hours += `$_.Quantity }; $probeLine }
`$s = `$sw.Elapsed.TotalSeconds
`$gc = [GC]::GetGCMemoryInfo()
@{ seconds = `$s; rows = `$n; instance_hours = `$hours; before = `$before; peak = (Get-Hwm); live = `$live / 1MB; committed = `$gc.TotalCommittedBytes / 1MB } | ConvertTo-Json -Compress
"@
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $out = Invoke-BenchPwsh $inner
    if ($LASTEXITCODE) { throw "VdcPS run failed: $out" }
    $r = ($out | Select-Object -Last 1) | ConvertFrom-Json
    return [pscustomobject]@{ Call = $r.seconds; Process = $sw.Elapsed.TotalSeconds; PeakMiB = [math]::Round($r.peak, 1); GrowthMiB = [math]::Round($r.peak - $r.before, 1)
        LiveMiB = [math]::Round($r.live, 1); CommittedMiB = [math]::Round($r.committed, 1); Hours = [decimal]$r.instance_hours; Rows = $r.rows }
}

function Measure-Cli {
    $timeFile = [IO.Path]::GetTempFileName()
    $json = [IO.Path]::GetTempFileName()
    & /usr/bin/time -o $timeFile -f '%e %M' openstack --os-cloud vdcps-lab --os-compute-api-version 2.40 usage list --start $start.ToString('yyyy-MM-dd') --end $end.ToString('yyyy-MM-dd') -f json > $json 2>$null
    if ($LASTEXITCODE) { throw 'openstack usage list failed' }
    $t = (Get-Content $timeFile | Select-Object -Last 1) -split ' '
    $hours = [decimal]0
    foreach ($row in Get-Content -Raw $json | ConvertFrom-Json) { foreach ($s in $row.Servers) { $hours += [decimal]$s.hours } }
    Remove-Item $timeFile, $json
    return [pscustomobject]@{ Process = [double]$t[0]; PeakMiB = [math]::Round([double]$t[1] / 1024, 1); Hours = $hours }
}

function Measure-Raw([switch] $Detail) {
    $timeFile = [IO.Path]::GetTempFileName()
    $more = @(if ($Detail) { '--detailed' })   # @(): a one-item if result is a string, and @string splats its characters
    $out = & /usr/bin/time -o $timeFile -f '%e %M' /usr/bin/python3 (Join-Path $PSScriptRoot 'raw-usage.py') --lab $lab --start $startText --end $endText @more
    if ($LASTEXITCODE) { throw 'raw-usage.py failed' }
    $t = (Get-Content $timeFile | Select-Object -Last 1) -split ' '
    Remove-Item $timeFile
    $r = $out | ConvertFrom-Json
    return [pscustomobject]@{ Call = $r.seconds; Process = [double]$t[0]; PeakMiB = [math]::Round([double]$t[1] / 1024, 1); Hours = [decimal]$r.instance_hours; Servers = $r.servers; Pages = $r.pages; Bytes = $r.bytes }
}

$results = [Collections.Generic.List[object]]::new()
$seeded = @()
try {
    foreach ($scale in 1, $Factor) {
        if ($seeded) { Clear-Seeded $seeded }
        $n = $Instances * $scale; $p = if ($SameTenants) { $Projects } else { $Projects * $scale }
        $exp = Invoke-Seeder @('--generate', "$n", '--projects', "$p", '--month', $Month, '--seed', "$($Seed + $scale)")
        $seeded = @($exp.project_ids)
        Write-Host ("{0,2}x: {1} instances over {2} projects seeded ({3} with usage in {4}); expected instance-hours {5}" -f $scale, $n, $p, $exp.totals.servers, $Month, $exp.totals.instance_hours)
        Measure-VdcPS | Out-Null   # warm the lab's caches (and the OS's) once
        $raw = Measure-Raw
        $rawDet = Measure-Raw -Detail
        $vdc = Measure-VdcPS
        $cli = Measure-Cli
        $probe = Measure-VdcPS -Probe
        $det = if ($Detailed) { Measure-VdcPS -Detail } else { $null }
        $detProbe = if ($Detailed) { Measure-VdcPS -Detail -Probe } else { $null }
        $row = [ordered]@{
            Scale = "${scale}x"; Servers = $rawDet.Servers; Pages = $raw.Pages
            'detailed=0 KiB' = [math]::Round($raw.Bytes / 1KB); 'detailed=1 KiB' = [math]::Round($rawDet.Bytes / 1KB)
            'raw detailed=1 s' = [math]::Round($rawDet.Call, 2)
            'VdcPS call s' = [math]::Round($vdc.Call, 2); 'VdcPS process s' = [math]::Round($vdc.Process, 2)
            'VdcPS peak MiB' = $vdc.PeakMiB; 'VdcPS +MiB' = $vdc.GrowthMiB; 'VdcPS GC committed MiB' = $vdc.CommittedMiB
            'VdcPS live MiB (max)' = $probe.LiveMiB
            'CLI s' = $cli.Process; 'CLI peak MiB' = $cli.PeakMiB
            'raw s' = [math]::Round($raw.Call, 2); 'raw process s' = $raw.Process; 'raw peak MiB' = $raw.PeakMiB
            'VdcPS/raw' = [math]::Round($vdc.Call / $raw.Call, 2); 'CLI/raw' = [math]::Round($cli.Process / $raw.Process, 2)
            'VdcPS/CLI (process)' = [math]::Round($vdc.Process / $cli.Process, 2)
            'hours VdcPS' = $vdc.Hours; 'hours CLI' = $cli.Hours; 'hours raw' = $raw.Hours; 'hours raw detailed=1' = $rawDet.Hours
        }
        if ($det) {
            $row['-Detailed s'] = [math]::Round($det.Call, 2); $row['-Detailed +MiB'] = $det.GrowthMiB
            $row['-Detailed live MiB (max)'] = $detProbe.LiveMiB; $row['-Detailed rows'] = $det.Rows
        }
        $results.Add([pscustomobject]$row)
    }
}
finally {
    if ($seeded) { Clear-Seeded $seeded }
}

$results | Format-List
if ($results.Count -eq 2) {
    $a, $b = $results
    Write-Host ("growth 1x -> {1}: VdcPS call x{2:0.0}, VdcPS +MiB {3} -> {4}, VdcPS peak x{5:0.00}, VdcPS live MiB {9} -> {10}, CLI s x{6:0.0}, CLI peak x{7:0.00}, raw s x{8:0.0}" -f
        $Factor, $b.Scale, ($b.'VdcPS call s' / $a.'VdcPS call s'), $a.'VdcPS +MiB', $b.'VdcPS +MiB', ($b.'VdcPS peak MiB' / $a.'VdcPS peak MiB'),
        ($b.'CLI s' / $a.'CLI s'), ($b.'CLI peak MiB' / $a.'CLI peak MiB'), ($b.'raw s' / $a.'raw s'), $a.'VdcPS live MiB (max)', $b.'VdcPS live MiB (max)')
    foreach ($r in $results) {
        Add-BenchRatio 'usage' "VdcPS / raw floor detailed=0 ($($r.Scale): $($r.Servers) servers)" $r.'VdcPS/raw' '<= 1.2'
        Add-BenchRatio 'usage' "openstack usage list / VdcPS, whole process ($($r.Scale))" ([math]::Round(1 / $r.'VdcPS/CLI (process)', 2)) ''
    }
    Add-BenchRatio 'usage' "VdcPS peak MiB 1x -> $($b.Scale) (live MiB)" ("{0} -> {1} ({2} -> {3})" -f $a.'VdcPS peak MiB', $b.'VdcPS peak MiB', $a.'VdcPS live MiB (max)', $b.'VdcPS live MiB (max)') 'flat'
    Add-BenchRatio 'usage' "openstack usage list peak MiB 1x -> $($b.Scale)" ("{0} -> {1}" -f $a.'CLI peak MiB', $b.'CLI peak MiB') ''
}
