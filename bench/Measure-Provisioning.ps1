<#
.SYNOPSIS
    Provisioning side by side in one run: New-VdcTenant vs the equivalent openstack CLI command
    sequence vs the raw HTTP floor (the same requests from Python's stdlib), against the lab.
    Prints seconds per tenant, HTTP requests per tenant and the ratios. Cleans up after itself.
.DESCRIPTION
    VdcPS and the floor take turns in rounds ($Count / $Rounds tenants each, who goes first swapped
    every round), so that the lab's drift on a shared machine hits both alike; each round's ratio is
    printed, then the ratio over all tenants and the median of the rounds. The requests per tenant
    are counted from -Debug in an untimed warm-up of five tenants; timed tenants run as an operator
    would run them (no -Debug). The CLI runs on $CliCount tenants and is compared per tenant.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/VdcPS/VdcPS.psd1'),
    [int] $Count = 50,
    # The CLI takes seconds per command: it runs on fewer tenants, and is compared per tenant.
    [int] $CliCount = 5,
    # VdcPS and the floor take turns this many times ($Count / $Rounds tenants each turn).
    [int] $Rounds = 5
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$repo = Resolve-Path (Join-Path $PSScriptRoot '..')
$env:OS_CLIENT_CONFIG_FILE = Join-Path $repo '.lab/clouds.yaml'
$env:VDCPS_PLAN_CATALOG = Join-Path $repo 'examples/plans.yaml'
$env:VDCPS_JOURNAL = Join-Path ([IO.Path]::GetTempPath()) "bench-journal-$PID.jsonl"
Import-Module $ModulePath -Force
$run = [guid]::NewGuid().ToString('N').Substring(0, 6)

# --- VdcPS and the raw floor, interleaved in rounds (the order swapped every round), so that the
# lab's drift on a shared machine hits both alike; the requests are counted in an untimed warm-up.
$ctx = Connect-VdcCloud -Cloud vdcps-lab
$password = ConvertTo-SecureString 'Bench-pw-12345' -AsPlainText -Force
$made = [Collections.Generic.List[object]]::new()
function New-BenchTenant([string[]] $Names, [switch] $CountRequests) {
    $requests = 0
    foreach ($name in $Names) {
        if ($CountRequests) {
            $out = New-VdcTenant -Name $name -Plan vdc-small -CustomerId BENCH -Password $password -Debug -Verbose:$false 5>&1 4>$null
            $requests += Get-HttpRequestCount $out
            $out = @($out | Where-Object { $_ -is [VdcPS.Models.VdcTenant] })
        }
        else {
            $out = @(New-VdcTenant -Name $name -Plan vdc-small -CustomerId BENCH -Password $password)
        }
        if ($out.Count -ne 1) { throw "VdcPS did not make $name" }
        $made.Add($out[0])
    }
    return $requests
}
try {
    $warm = 1..5 | ForEach-Object { 'vdcbench-{0}-w{1}' -f $run, $_ }
    $vdcRequests = New-BenchTenant $warm -CountRequests
    $rawRequests = 0
    $rounds = [math]::Max(1, $Rounds)
    $perRound = [math]::Max(1, [math]::Floor($Count / $rounds))
    $vdcSeconds = 0.0; $rawSeconds = 0.0; $roundRatios = @()
    $sw = [Diagnostics.Stopwatch]::new()
    for ($r = 0; $r -lt $rounds; $r++) {
        $names = 1..$perRound | ForEach-Object { 'vdcbench-{0}-{1:d2}-{2:d3}' -f $run, $r, $_ }
        $timeVdc = { $sw.Restart(); New-BenchTenant $names | Out-Null; $sw.Elapsed.TotalSeconds }
        $timeRaw = {
            $raw = & /usr/bin/python3 (Join-Path $PSScriptRoot 'raw-provision.py') --count $perRound --prefix "rawbench-$run-$r" --cleanup | ConvertFrom-Json
            if ($LASTEXITCODE -or $raw.tenants -ne $perRound) { throw 'raw-provision.py failed' }
            $script:rawRequests += $raw.requests
            [double]$raw.seconds
        }
        if ($r % 2) { $v = & $timeVdc; $w = & $timeRaw } else { $w = & $timeRaw; $v = & $timeVdc }
        $vdcSeconds += $v; $rawSeconds += $w; $roundRatios += $v / $w
        Write-Host ("round {0}: VdcPS {1:0.000} s/tenant, raw {2:0.000} s/tenant, ratio {3:0.00}" -f ($r + 1), ($v / $perRound), ($w / $perRound), ($v / $w))
    }
    $timed = $rounds * $perRound
    $medianRatio = @($roundRatios | Sort-Object)[[math]::Floor($roundRatios.Count / 2)]

    # --- openstack CLI: project create, user create, role add, quota set (all services), project set (commit)
    $sw.Restart()
    foreach ($i in 1..$CliCount) {
        $n = 'clibench-{0}-{1:d4}' -f $run, $i
        $o = { param([string[]] $a) & openstack --os-cloud vdcps-lab @a *> $null; if ($LASTEXITCODE) { throw "openstack $a failed" } }
        & $o @('project', 'create', '--domain', 'default', '--property', 'vdcps_plan=vdc-small', '--property', 'vdcps_state=provisioning', $n)
        & $o @('user', 'create', '--domain', 'default', '--project', $n, '--password', 'Cli-bench-pw-1', $n)
        & $o @('role', 'add', '--project', $n, '--user', $n, 'member')
        & $o @('quota', 'set', '--cores', '4', '--ram', '8192', '--instances', '5', '--key-pairs', '10', '--server-groups', '2',
            '--volumes', '10', '--gigabytes', '200', '--snapshots', '10', '--backups', '5', '--backup-gigabytes', '200',
            '--networks', '2', '--subnets', '4', '--ports', '25', '--routers', '1', '--floating-ips', '1', '--secgroups', '10', '--secgroup-rules', '100', $n)
        & $o @('project', 'set', '--property', 'vdcps_state=active', $n)
    }
    $cliSeconds = $sw.Elapsed.TotalSeconds
}
finally {
    # --- clean up (also after a failure)
    $made | Remove-VdcTenant -Confirm:$false
    foreach ($i in 1..$CliCount) {
        $n = 'clibench-{0}-{1:d4}' -f $run, $i
        & openstack --os-cloud vdcps-lab user delete $n *> $null
        & openstack --os-cloud vdcps-lab project delete $n *> $null
    }
    Remove-Item $env:VDCPS_JOURNAL -ErrorAction SilentlyContinue
}

$vdcPer = $vdcSeconds / $timed
$rawPer = $rawSeconds / $timed
$cliPer = $cliSeconds / $CliCount
Write-Host ("VdcPS/raw: {0:0.00} over all {1} tenants, median of the {2} rounds {3:0.00}" -f ($vdcPer / $rawPer), $timed, $rounds, $medianRatio)
Add-BenchRatio 'provisioning' "VdcPS / raw floor ($timed tenants; median of $rounds rounds $([math]::Round($medianRatio, 2)))" ([math]::Round($vdcPer / $rawPer, 2)) '<= 1.2'
Add-BenchRatio 'provisioning' 'openstack CLI sequence / VdcPS' ([math]::Round($cliPer / $vdcPer, 1)) '~16 implied'
Add-BenchRatio 'provisioning' 'openstack CLI sequence / raw floor' ([math]::Round($cliPer / $rawPer, 1)) ''
[pscustomobject]@{ Tool = 'VdcPS New-VdcTenant'; Tenants = $timed; SecondsPerTenant = [math]::Round($vdcPer, 3); RequestsPerTenant = [math]::Round($vdcRequests / $warm.Count, 2); VsRawFloor = [math]::Round($vdcPer / $rawPer, 2) }
[pscustomobject]@{ Tool = 'raw HTTP floor (python)'; Tenants = $timed; SecondsPerTenant = [math]::Round($rawPer, 3); RequestsPerTenant = $rawRequests / $timed; VsRawFloor = 1 }
[pscustomobject]@{ Tool = 'openstack CLI sequence'; Tenants = $CliCount; SecondsPerTenant = [math]::Round($cliPer, 3); RequestsPerTenant = [double]::NaN; VsRawFloor = [math]::Round($cliPer / $rawPer, 2) }
