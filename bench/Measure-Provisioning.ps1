<#
.SYNOPSIS
    Provisioning side by side in one run: New-VdcTenant vs the equivalent openstack CLI command
    sequence vs the raw HTTP floor (the same requests from Python's stdlib), against the lab.
    Prints seconds per tenant, HTTP requests per tenant and the ratios. Cleans up after itself.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/VdcPS/VdcPS.psd1'),
    [int] $Count = 50,
    # The CLI takes seconds per command: it runs on fewer tenants, and is compared per tenant.
    [int] $CliCount = 5
)
$ErrorActionPreference = 'Stop'
$repo = Resolve-Path (Join-Path $PSScriptRoot '..')
$env:OS_CLIENT_CONFIG_FILE = Join-Path $repo '.lab/clouds.yaml'
$env:VDCPS_PLAN_CATALOG = Join-Path $repo 'examples/plans.yaml'
$env:VDCPS_JOURNAL = Join-Path ([IO.Path]::GetTempPath()) "bench-journal-$PID.jsonl"
Import-Module $ModulePath -Force
$run = [guid]::NewGuid().ToString('N').Substring(0, 6)

# --- VdcPS
$ctx = Connect-VdcCloud -Cloud vdcps-lab
Get-VdcTenant -Name "vdcbench-$run-*" | Out-Null   # warm: one request, like any session's first call
$names = 1..$Count | ForEach-Object { 'vdcbench-{0}-{1:d4}' -f $run, $_ }
$sw = [Diagnostics.Stopwatch]::StartNew()
# -Debug writes one line per HTTP request ("HTTP POST ... -> 201 in 12 ms"): count them.
$all = $names | ForEach-Object { New-VdcTenant -Name $_ -Plan vdc-small -CustomerId BENCH -Password (ConvertTo-SecureString 'Bench-pw-12345' -AsPlainText -Force) -Debug -Verbose:$false 5>&1 }
$vdcSeconds = $sw.Elapsed.TotalSeconds
$made = @($all | Where-Object { $_ -is [VdcPS.Models.VdcTenant] })
$vdcRequests = @($all | Where-Object { $_ -is [System.Management.Automation.DebugRecord] -and $_.Message -match '^HTTP \w+ .* -> \d{3} ' }).Count
if (@($made).Count -ne $Count) { throw "VdcPS made $(@($made).Count) of $Count tenants" }

# --- raw floor (same requests, same concurrency)
$raw = & /usr/bin/python3 (Join-Path $PSScriptRoot 'raw-provision.py') --count $Count --prefix "rawbench-$run" --cleanup | ConvertFrom-Json

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

# --- clean up
$made | Remove-VdcTenant -Confirm:$false
foreach ($i in 1..$CliCount) {
    $n = 'clibench-{0}-{1:d4}' -f $run, $i
    & openstack --os-cloud vdcps-lab user delete $n *> $null
    & openstack --os-cloud vdcps-lab project delete $n *> $null
}
Remove-Item $env:VDCPS_JOURNAL -ErrorAction SilentlyContinue

$vdcPer = $vdcSeconds / $Count
$rawPer = $raw.seconds / $raw.tenants
$cliPer = $cliSeconds / $CliCount
[pscustomobject]@{ Tool = 'VdcPS New-VdcTenant'; Tenants = $Count; SecondsPerTenant = [math]::Round($vdcPer, 3); RequestsPerTenant = [math]::Round($vdcRequests / $Count, 2); VsRawFloor = [math]::Round($vdcPer / $rawPer, 2) }
[pscustomobject]@{ Tool = 'raw HTTP floor (python)'; Tenants = $raw.tenants; SecondsPerTenant = [math]::Round($rawPer, 3); RequestsPerTenant = $raw.requests / $raw.tenants; VsRawFloor = 1 }
[pscustomobject]@{ Tool = 'openstack CLI sequence'; Tenants = $CliCount; SecondsPerTenant = [math]::Round($cliPer, 3); RequestsPerTenant = [double]::NaN; VsRawFloor = [math]::Round($cliPer / $rawPer, 2) }
