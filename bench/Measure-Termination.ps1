<#
.SYNOPSIS
    Termination side by side in one run: Remove-VdcTenant vs `openstack project cleanup` vs the raw
    HTTP floor (the same inventory reads, deletes, levels and concurrency from Python's stdlib),
    against the lab, on tenants that own about 50 resources each. Prints seconds per tenant and the
    ratios. Cleans up after itself.
.DESCRIPTION
    Every round makes three tenants of the same shape (New-VdcTenant, then bench/termination-tenants.py
    seed: servers, a network with a subnet, a router with an interface and a gateway, ports, floating
    IPs, security groups; the lab has no Cinder volume service, so no volumes), untimed, then terminates
    one with each tool; who goes first rotates every round. `openstack project cleanup` deletes only the
    resources (not the user, roles, quotas or Keystone record), so the CLI does less work than the other
    two: its ratio flatters it. Times are wall-clock on a shared lab; the table reports ratios, and no
    test ever asserts a time.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/VdcPS/VdcPS.psd1'),
    [int] $Rounds = 3,
    [int] $Servers = 2,
    [int] $Ports = 20,
    [int] $FloatingIps = 10,
    [int] $SecurityGroups = 14
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$repo = Resolve-Path (Join-Path $PSScriptRoot '..')
$labDir = if ($env:VDCPS_LAB_DIR) { $env:VDCPS_LAB_DIR } else { Join-Path $repo '.lab' }
$env:OS_CLIENT_CONFIG_FILE = Join-Path $labDir 'clouds.yaml'
$env:VDCPS_PLAN_CATALOG = Join-Path $repo 'examples/plans.yaml'
$env:VDCPS_JOURNAL = Join-Path ([IO.Path]::GetTempPath()) "bench-journal-$PID.jsonl"
Import-Module $ModulePath -Force
Connect-VdcCloud -Cloud vdcps-lab | Out-Null
$run = [guid]::NewGuid().ToString('N').Substring(0, 6)
$helper = Join-Path $PSScriptRoot 'termination-tenants.py'
$made = [Collections.Generic.List[object]]::new()

function New-SeededTenant([string] $Name) {
    $t = New-VdcTenant -Name $Name -Plan vdc-medium -CustomerId BENCH
    $made.Add($t)
    $seed = & /usr/bin/python3 $helper seed --project $t.Id --servers $Servers --ports $Ports --fips $FloatingIps --groups $SecurityGroups | ConvertFrom-Json
    if ($LASTEXITCODE) { throw "seeding $Name failed" }
    [pscustomobject]@{ Tenant = $t; Resources = [int]$seed.resources }
}

$times = @{ vdcps = 0.0; cli = 0.0; raw = 0.0 }
$resources = 0; $rawRequests = 0; $roundRatios = @()
$sw = [Diagnostics.Stopwatch]::new()
try {
    for ($r = 0; $r -lt $Rounds; $r++) {
        $v = New-SeededTenant ('termbench-{0}-{1}-v' -f $run, $r)
        $c = New-SeededTenant ('termbench-{0}-{1}-c' -f $run, $r)
        $w = New-SeededTenant ('termbench-{0}-{1}-r' -f $run, $r)
        $resources += $v.Resources
        # the CLI acts as the project: the admin needs a role in it (untimed)
        & openstack --os-cloud vdcps-lab role add --user admin --project $c.Tenant.Id member *> $null
        $round = @{}
        $jobs = [ordered]@{
            vdcps = { $sw.Restart(); Remove-VdcTenant -Id $v.Tenant.Id -Confirm:$false; $sw.Elapsed.TotalSeconds }
            cli   = { $sw.Restart(); 'y' | & openstack --os-cloud vdcps-lab project cleanup --project $c.Tenant.Id *> $null; if ($LASTEXITCODE) { throw 'project cleanup failed' }; $sw.Elapsed.TotalSeconds }
            raw   = {
                $out = & /usr/bin/python3 $helper raw --project $w.Tenant.Id --user $w.Tenant.UserId --concurrency 4 | ConvertFrom-Json
                if ($LASTEXITCODE) { throw 'the raw floor failed' }
                $script:rawRequests += $out.requests
                [double]$out.seconds
            }
        }
        $order = @($jobs.Keys)
        $order = $order[($r % 3)..2] + $(if ($r % 3) { $order[0..(($r % 3) - 1)] })
        foreach ($k in $order) { $round[$k] = & $jobs[$k] }
        foreach ($k in $round.Keys) { $times[$k] += $round[$k] }
        $roundRatios += $round.vdcps / $round.raw
        Write-Host ('round {0} ({1} resources each; order {2}): VdcPS {3:0.00} s, CLI {4:0.00} s, raw {5:0.00} s; VdcPS/raw {6:0.00}' -f ($r + 1), $v.Resources, ($order -join ','), $round.vdcps, $round.cli, $round.raw, ($round.vdcps / $round.raw))
        # leftovers of the CLI's run (it leaves the default group): checked, then swept (untimed)
        & /usr/bin/python3 $helper raw --project $c.Tenant.Id --user $c.Tenant.UserId | Out-Null
    }
}
finally {
    foreach ($t in $made) {
        Remove-VdcTenant -Id $t.Id -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Remove-VdcTenant -Id $t.Id -Purge -Confirm:$false -ErrorAction SilentlyContinue
        & openstack --os-cloud vdcps-lab project delete $t.Id *> $null
    }
    Remove-Item $env:VDCPS_JOURNAL -ErrorAction SilentlyContinue
}

$median = @($roundRatios | Sort-Object)[[math]::Floor($roundRatios.Count / 2)]
$perTenant = @{}; foreach ($k in $times.Keys) { $perTenant[$k] = $times[$k] / $Rounds }
Write-Host ('VdcPS/raw: {0:0.00} over {1} tenants of about {2} resources, median of the rounds {3:0.00}' -f ($perTenant.vdcps / $perTenant.raw), $Rounds, [math]::Round($resources / $Rounds), $median)
Add-BenchRatio 'termination' "Remove-VdcTenant / raw floor ($Rounds tenants x ~$([math]::Round($resources / $Rounds)) resources; median $([math]::Round($median, 2)))" ([math]::Round($perTenant.vdcps / $perTenant.raw, 2)) '<= 1.2'
Add-BenchRatio 'termination' 'openstack project cleanup / Remove-VdcTenant (cleanup deletes resources only)' ([math]::Round($perTenant.cli / $perTenant.vdcps, 2)) ''
Add-BenchRatio 'termination' 'openstack project cleanup / raw floor' ([math]::Round($perTenant.cli / $perTenant.raw, 2)) ''
[pscustomobject]@{ Tool = 'VdcPS Remove-VdcTenant'; Tenants = $Rounds; SecondsPerTenant = [math]::Round($perTenant.vdcps, 2); VsRawFloor = [math]::Round($perTenant.vdcps / $perTenant.raw, 2) }
[pscustomobject]@{ Tool = 'raw HTTP floor (python)'; Tenants = $Rounds; SecondsPerTenant = [math]::Round($perTenant.raw, 2); VsRawFloor = 1; RequestsPerTenant = $rawRequests / $Rounds }
[pscustomobject]@{ Tool = 'openstack project cleanup'; Tenants = $Rounds; SecondsPerTenant = [math]::Round($perTenant.cli, 2); VsRawFloor = [math]::Round($perTenant.cli / $perTenant.raw, 2) }
