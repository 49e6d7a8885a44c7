<#
.SYNOPSIS
    The month close of a scheduled runbook, end to end: a fresh pwsh connects, collects a month of
    usage of every tenant, rates it with the sample catalog, builds the invoices and exports them;
    side by side with its floor (bench/raw-month-close.py). Prints seconds cold and warm, memory and
    the ratios; asserts nothing. Cleans up after itself.
.DESCRIPTION
    Creates -Tenants managed projects (bench/month-close-tenants.py: four sample plans, three tenants
    per customer, active since before the month) with 10 instances each in an old month
    (tests/lab/seed-usage.py), for each scale in -Scale (1 = -Tenants, 10 = ten times as many). Then,
    -Runs times, alternating:
    - VdcPS: a fresh pwsh runs Import-Module, Connect-VdcCloud and
        Get-VdcUsage -Source Nova | Measure-VdcCharge | ConvertTo-VdcInvoice | Export-VdcInvoice
      ("cold": import + connect + the pipeline, every first call JIT-compiled), then the same pipeline
      again in that process ("warm"); peak RSS (VmHWM) of the process. A second fresh pwsh imports,
      connects and runs Get-VdcUsage alone twice: "usage cold" is connect + the first call, "usage
      warm" the second call (no token).
    - floor: bench/raw-month-close.py, written from the API reference and the price list, not from
      VdcPS: token, paged detailed=0 usage, one project list, and a plain script that rates and
      writes one CSV per customer (its in-process seconds, and the whole process under /usr/bin/time).
    Each run's invoices are compared with the floor's: the same files, and in each the same number of
    lines and the same total; a difference is printed. Medians over the runs; the load average is
    printed before and after (the machine is shared: a bench during a lab restart is invalid).
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/VdcPS/VdcPS.psd1'),
    [string] $CatalogPath = (Join-Path $PSScriptRoot '../examples/plans.yaml'),
    [int] $Tenants = 300,
    [int[]] $Scale = @(1, 10),
    [int] $Runs = 3,
    [string] $Month = '2023-05'
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$repo = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$lab = if ($env:VDCPS_LAB_DIR) { $env:VDCPS_LAB_DIR } else { Join-Path $repo '.lab' }
$clouds = Join-Path $lab 'clouds.yaml'
$ModulePath = (Resolve-Path $ModulePath).Path
$CatalogPath = (Resolve-Path $CatalogPath).Path
$seeder = Join-Path $repo 'tests/lab/seed-usage.py'
$start = [datetime]::ParseExact("$Month-01", 'yyyy-MM-dd', [cultureinfo]::InvariantCulture)
$end = $start.AddMonths(1)
$startText = $start.ToString('yyyy-MM-ddTHH:mm:ss'); $endText = $end.ToString('yyyy-MM-ddTHH:mm:ss')
$work = Join-Path ([IO.Path]::GetTempPath()) "vdcps-monthclose-$PID"
New-Item -ItemType Directory -Force $work | Out-Null

function Get-Load { (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3 | Join-String -Separator ' ' }
function Get-Median([double[]] $Values) { $s = $Values | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }

function Invoke-Child([string] $Body) {
    $inner = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
function Get-Hwm { [long](@((Get-Content /proc/self/status) -match '^VmHWM:')[0] -replace '\D', '') / 1024 }
function Close([string] `$Dir) {
    Get-VdcUsage -Start '$startText' -End '$endText' -Source Nova |
        Measure-VdcCharge -Start '$startText' -End '$endText' -CatalogPath '$CatalogPath' -WarningAction SilentlyContinue |
        ConvertTo-VdcInvoice | Export-VdcInvoice -Path `$Dir -Force | Measure-Object | ForEach-Object Count
}
function Usage { (Get-VdcUsage -Start '$startText' -End '$endText' -Source Nova | Measure-Object).Count }
`$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module '$ModulePath'
`$import = `$sw.Elapsed.TotalSeconds
`$env:OS_CLIENT_CONFIG_FILE = '$clouds'
Connect-VdcCloud -Cloud vdcps-lab | Out-Null
`$connect = `$sw.Elapsed.TotalSeconds - `$import
$Body
"@
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $out = Invoke-BenchPwsh $inner
    if ($LASTEXITCODE) { throw "VdcPS run failed: $out" }
    $r = ($out | Select-Object -Last 1) | ConvertFrom-Json
    $r | Add-Member process $sw.Elapsed.TotalSeconds
    return $r
}

function Measure-VdcPS([string] $Out) {
    # A: the month close as a scheduled runbook does it, everything cold; B: usage alone cold, then warm
    $a = Invoke-Child @"
`$w = [Diagnostics.Stopwatch]::StartNew(); `$files = Close '$Out/cold'; `$close = `$w.Elapsed.TotalSeconds
`$w = [Diagnostics.Stopwatch]::StartNew(); Close '$Out/warm' | Out-Null; `$warm = `$w.Elapsed.TotalSeconds
@{ import = `$import; connect = `$connect; close = `$close; warm = `$warm; files = `$files; peak = (Get-Hwm) } | ConvertTo-Json -Compress
"@
    $b = Invoke-Child @"
`$w = [Diagnostics.Stopwatch]::StartNew(); `$rows = Usage; `$usageCold = `$w.Elapsed.TotalSeconds
`$w = [Diagnostics.Stopwatch]::StartNew(); Usage | Out-Null; `$usageWarm = `$w.Elapsed.TotalSeconds
@{ connect = `$connect; usageCold = `$usageCold; usageWarm = `$usageWarm; rows = `$rows } | ConvertTo-Json -Compress
"@
    return [pscustomobject]@{
        import = $a.import; connect = $a.connect; close = $a.close; cold = $a.import + $a.connect + $a.close; warm = $a.warm
        process = $a.process - $a.warm; peak = $a.peak; files = $a.files
        usageCold = $b.connect + $b.usageCold; usageWarm = $b.usageWarm; rows = $b.rows
    }
}

function Measure-Floor([string] $Out) {
    $timeFile = Join-Path $work 'time.txt'
    $out = & /usr/bin/time -o $timeFile -f '%e %M' /usr/bin/python3 (Join-Path $PSScriptRoot 'raw-month-close.py') --lab $lab `
        --start $startText --end $endText --catalog $CatalogPath --out $Out
    if ($LASTEXITCODE) { throw "raw-month-close.py failed: $out" }
    $t = (Get-Content $timeFile | Select-Object -Last 1) -split ' '
    $r = $out | Select-Object -Last 1 | ConvertFrom-Json
    $r | Add-Member process ([double]$t[0]); $r | Add-Member peak ([math]::Round([double]$t[1] / 1024, 1))
    return $r
}

function Compare-Invoices([string] $VdcDir, [string] $FloorDir) {
    # the same files, and in each the same number of lines and the same total
    $diff = [Collections.Generic.List[string]]::new()
    $vdc = @(Get-ChildItem $VdcDir -Filter *.csv | Sort-Object Name)
    $floor = @(Get-ChildItem $FloorDir -Filter *.csv | Sort-Object Name)
    if (Compare-Object $vdc.Name $floor.Name) { $diff.Add("files differ: VdcPS $($vdc.Count), floor $($floor.Count)") }
    foreach ($f in $vdc) {
        $other = Join-Path $FloorDir $f.Name
        if (-not (Test-Path $other)) { continue }
        $a = Import-Csv $f.FullName; $b = Import-Csv $other
        if ($f.Name -like '*.summary.csv') {
            if ($a.Total -ne $b.Total -or $a.LineCount -ne $b.LineCount) { $diff.Add("$($f.Name): VdcPS $($a.LineCount) lines, total $($a.Total); floor $($b.LineCount) lines, total $($b.Total)") }
            continue
        }
        # a lines file: its Amount column sums to the invoice total
        $sum = { param($rows) ($rows | ForEach-Object { [decimal]::Parse($_.Amount, [cultureinfo]::InvariantCulture) } | Measure-Object -Sum).Sum }
        $la = @($a).Count; $lb = @($b).Count; $ta = & $sum $a; $tb = & $sum $b
        if ($la -ne $lb -or $ta -ne $tb) { $diff.Add("$($f.Name): VdcPS $la lines, sum $ta; floor $lb lines, sum $tb") }
    }
    return $diff
}

$results = [Collections.Generic.List[object]]::new()
foreach ($s in $Scale) {
    $count = $Tenants * $s
    $prefix = "mclose-$PID-$s"
    $instances = Join-Path $work "instances-$s.json"
    $ids = @()
    try {
        $created = & /usr/bin/python3 (Join-Path $PSScriptRoot 'month-close-tenants.py') create --lab $lab --count $count --month $Month --prefix $prefix --instances $instances | ConvertFrom-Json
        if ($LASTEXITCODE) { throw 'month-close-tenants.py create failed' }
        $ids = @($created.project_ids)
        & /usr/bin/python3 $seeder --lab $lab $instances --month $Month 2>$null | Out-Null
        if ($LASTEXITCODE) { throw 'seed-usage.py failed' }
        Write-Host ("{0}x: {1} tenants, {2} instances in {3}; load {4}" -f $s, $count, ($count * 10), $Month, (Get-Load))
        Measure-Floor (Join-Path $work 'warmup-floor') | Out-Null   # the lab's caches, once
        $vdcRuns = @(); $floorRuns = @(); $diffs = @()
        $loadBefore = Get-Load
        for ($i = 1; $i -le $Runs; $i++) {
            $dirV = Join-Path $work "v-$s-$i"; $dirF = Join-Path $work "f-$s-$i"
            $v = Measure-VdcPS $dirV
            $f = Measure-Floor $dirF
            $d = Compare-Invoices (Join-Path $dirV 'cold') $dirF
            $diffs += $d
            Write-Host ("  run {0}: VdcPS cold {1:0.00} s (import {2:0.00}, connect {3:0.00}, close {4:0.00}), warm {5:0.00} s; usage: connect + cold {6:0.00} s, warm {7:0.00} s; peak {8:0} MiB; floor {9:0.00} s (requests {10:0.00}), process {11:0.00} s, {12} MiB; {13} invoices, {14}" -f
                $i, $v.cold, $v.import, $v.connect, $v.close, $v.warm, $v.usageCold, $v.usageWarm, $v.peak, $f.seconds, $f.request_seconds, $f.process, $f.peak, $v.files,
                ($d.Count ? "$($d.Count) differences" : 'same lines and totals'))
            $vdcRuns += $v; $floorRuns += $f
        }
        $loadAfter = Get-Load
        $m = { param($runs, $name) Get-Median @($runs | ForEach-Object { [double]$_.$name }) }
        $row = [ordered]@{
            Scale = "${s}x"; Tenants = $count; Invoices = $vdcRuns[0].files; Lines = $floorRuns[0].lines
            'VdcPS import s' = [math]::Round((& $m $vdcRuns 'import'), 2); 'VdcPS connect s' = [math]::Round((& $m $vdcRuns 'connect'), 2)
            'VdcPS cold s (import+connect+close)' = [math]::Round((& $m $vdcRuns 'cold'), 2)
            'VdcPS warm s (close)' = [math]::Round((& $m $vdcRuns 'warm'), 2)
            'VdcPS usage warm s' = [math]::Round((& $m $vdcRuns 'usageWarm'), 2)
            'VdcPS connect + usage cold s' = [math]::Round((& $m $vdcRuns 'usageCold'), 2)
            'VdcPS process s (pwsh start to exit, less the warm close)' = [math]::Round((& $m $vdcRuns 'process'), 2)
            'VdcPS peak MiB' = [math]::Round((& $m $vdcRuns 'peak'), 0)
            'floor s' = [math]::Round((& $m $floorRuns 'seconds'), 2); 'floor requests s' = [math]::Round((& $m $floorRuns 'request_seconds'), 2)
            'floor process s' = [math]::Round((& $m $floorRuns 'process'), 2); 'floor peak MiB' = [math]::Round((& $m $floorRuns 'peak'), 0)
            'differences' = $diffs.Count; 'load before' = $loadBefore; 'load after' = $loadAfter
        }
        $row['close warm / floor'] = [math]::Round($row.'VdcPS warm s (close)' / $row.'floor s', 2)
        $row['close cold / floor'] = [math]::Round($row.'VdcPS cold s (import+connect+close)' / $row.'floor s', 2)
        $row['close process / floor process'] = [math]::Round($row.'VdcPS process s (pwsh start to exit, less the warm close)' / $row.'floor process s', 2)
        $row['usage warm / floor requests'] = [math]::Round($row.'VdcPS usage warm s' / $row.'floor requests s', 2)
        $row['usage cold (connect+usage) / floor requests'] = [math]::Round($row.'VdcPS connect + usage cold s' / $row.'floor requests s', 2)
        $results.Add([pscustomobject]$row)
        if ($diffs.Count) { $diffs | Select-Object -First 10 | ForEach-Object { Write-Warning $_ } }
    }
    finally {
        if ($ids) {
            for ($i = 0; $i -lt $ids.Count; $i += 500) {
                & /usr/bin/python3 $seeder --lab $lab --clear-project ($ids[$i..([math]::Min($i + 499, $ids.Count - 1))] -join ',') --keep-projects 2>$null | Out-Null
            }
        }
        & /usr/bin/python3 (Join-Path $PSScriptRoot 'month-close-tenants.py') delete --lab $lab --prefix $prefix | Out-Null
    }
}
Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue

$results | Format-List
foreach ($r in $results) {
    $tag = "$($r.Scale): $($r.Tenants) tenants, median of $Runs, load $($r.'load before')"
    Add-BenchRatio 'month close' "VdcPS close warm / floor ($tag)" $r.'close warm / floor' '<= 1.3'
    Add-BenchRatio 'month close' "VdcPS close cold, fresh pwsh with import + connect / floor ($tag)" $r.'close cold / floor' ''
    Add-BenchRatio 'month close' "VdcPS / floor, whole processes with pwsh / python start-up ($($r.Scale))" $r.'close process / floor process' ''
    Add-BenchRatio 'month close' "VdcPS peak MiB / floor peak MiB ($($r.Scale))" ("{0} / {1}" -f $r.'VdcPS peak MiB', $r.'floor peak MiB') ''
    Add-BenchRatio 'usage' "Get-VdcUsage warm / real floor detailed=0 ($tag)" $r.'usage warm / floor requests' '<= 1.2'
    Add-BenchRatio 'usage' "Connect-VdcCloud + Get-VdcUsage / real floor detailed=0 ($tag)" $r.'usage cold (connect+usage) / floor requests' '<= 1.5'
}
