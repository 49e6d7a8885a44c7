<#
.SYNOPSIS
    Rating throughput: usage rows per second through Measure-VdcCharge (offline, -Tenant, the sample
    catalog), and lines per second through ConvertTo-VdcInvoice, for a generated month of tenants
    with histories (activations, suspensions, plan changes) on all four sample plans.
.DESCRIPTION
    No cloud is needed. The generated input is deterministic (seeded); the run prints the median of
    -Runs timings and checks that every run gave the same lines (the rating is deterministic).
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/VdcPS/VdcPS.psd1'),
    [string] $CatalogPath = (Join-Path $PSScriptRoot '../examples/plans.yaml'),
    [int] $Tenants = 2000,
    [int] $Runs = 5
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
Import-Module (Resolve-Path $ModulePath).Path -Force
$CatalogPath = (Resolve-Path $CatalogPath).Path

$start = [datetime]::new(2026, 11, 1, 0, 0, 0, [DateTimeKind]::Utc)
$end = $start.AddMonths(1)
$random = [System.Random]::new(42)
$plans = 'vdc-small', 'vdc-medium', 'vdc-large', 'vdc-payg'
$units = 'vcpu-hour', 'ram-gb-hour', 'disk-gb-hour', 'instance-hour', 'volume-gb-hour', 'snapshot-gb-hour', 'floating-ip-hour'
$tenantObjects = [System.Collections.Generic.List[object]]::new()
$usage = [System.Collections.Generic.List[object]]::new()
for ($i = 0; $i -lt $Tenants; $i++) {
    $plan = $plans[$i % 4]
    $activated = $start.AddDays(-$random.Next(0, 200)).AddHours($random.Next(0, 24))
    $history = @("$($activated.ToString('yyyy-MM-ddTHH:mm:ssZ')) activated $plan")
    if ($i % 7 -eq 0) {
        $s = $start.AddDays($random.Next(0, 20)).AddHours($random.Next(0, 24))
        $history += "$($s.ToString('yyyy-MM-ddTHH:mm:ssZ')) suspended $plan"
        $history += "$($s.AddDays($random.Next(1, 8)).ToString('yyyy-MM-ddTHH:mm:ssZ')) resumed $plan"
    }
    if ($i % 11 -eq 0) {
        $plan = $plans[($i + 1) % 4]
        $history += "$($start.AddDays($random.Next(0, 29)).AddHours(12).ToString('yyyy-MM-ddTHH:mm:ssZ')) plan-changed $plan"
    }
    $history = $history | Sort-Object
    $t = [VdcPS.Models.VdcTenant]@{ Id = ('{0:x32}' -f $i); Name = ('tenant-{0:D5}' -f $i); CustomerId = ('C-{0:D4}' -f ($i % 700)); Plan = $plan; State = 'Active'; History = $history -join '; ' }
    $tenantObjects.Add($t)
    foreach ($unit in $units) {
        $usage.Add([VdcPS.Models.VdcUsageRecord]@{
                TenantId = $t.Id; TenantName = $t.Name; CustomerId = $t.CustomerId; Plan = $plan; PeriodStart = $start; PeriodEnd = $end
                Resource = $unit; Quantity = [decimal]$random.Next(0, 100000) / 4; Source = 'bench'
            })
    }
}
$tenantArray = $tenantObjects.ToArray()
$usageArray = $usage.ToArray()

$rateMs = @(); $invoiceMs = @(); $fingerprints = @()
for ($r = 0; $r -lt $Runs; $r++) {
    $lines = $null
    $rateMs += (Measure-Command { $script:lines = Measure-VdcCharge -InputObject $usageArray -Tenant $tenantArray -CatalogPath $CatalogPath -Start $start -End $end }).TotalMilliseconds
    $invoiceMs += (Measure-Command { $script:invoices = $script:lines | ConvertTo-VdcInvoice }).TotalMilliseconds
    $fingerprints += ($script:lines | ForEach-Object { "$($_.TenantId)|$($_.ChargeType)|$($_.Unit)|$($_.Amount)" }) -join "`n" | ForEach-Object { [System.BitConverter]::ToString([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($_))) }
}
function Median([double[]] $values) { $s = $values | Sort-Object; $s[[int][math]::Floor($s.Count / 2)] }
$rate = Median $rateMs
$invoice = Median $invoiceMs
$lineCount = @($script:lines).Count

[pscustomobject]@{ Measure = 'tenants / usage rows / charge lines / invoices'; Value = "$Tenants / $($usageArray.Count) / $lineCount / $(@($script:invoices).Count)" }
Add-BenchRatio 'rating' 'usage rows rated per second (Measure-VdcCharge)' ([math]::Round($usageArray.Count / ($rate / 1000))) ''
[pscustomobject]@{ Measure = 'Measure-VdcCharge (median ms)'; Value = [math]::Round($rate, 1) }
[pscustomobject]@{ Measure = 'rating throughput (usage rows per second)'; Value = [math]::Round($usageArray.Count / ($rate / 1000)) }
[pscustomobject]@{ Measure = 'rating throughput (charge lines per second)'; Value = [math]::Round($lineCount / ($rate / 1000)) }
[pscustomobject]@{ Measure = 'ConvertTo-VdcInvoice (median ms)'; Value = [math]::Round($invoice, 1) }
[pscustomobject]@{ Measure = 'invoice throughput (lines per second)'; Value = [math]::Round($lineCount / ($invoice / 1000)) }
[pscustomobject]@{ Measure = 'identical lines in every run'; Value = (@($fingerprints | Select-Object -Unique).Count -eq 1) }
