<#
.SYNOPSIS
    The main job, end to end, against the local lab: connect, provision customers from the sample
    plans (one of them buys capacity above its plan's bundle), seed a month of usage, run real
    servers for one more customer, collect the usage, rate it and write the billing CSV.

.DESCRIPTION
    Run by `build.ps1 -Task Demo` after the build and the lab start. Every step says what it
    does; the output ends with where the files are. Safe to run again: the demo tenants are reused
    and their seeded usage is replaced.

    Four customers are billed for the previous month from usage seeded into Nova's database. The
    fifth, demo-umbrella (vdc-payg), runs real servers in the lab (Nova's fake virt driver: the API,
    scheduler, conductor and compute manager run for real, only the hypervisor is simulated); it is
    billed for this month so far, and its pay-per-use comes from those servers' lifetimes as Nova
    recorded them. A rerun deletes its servers of the earlier run (their hours stay in Nova's usage).
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/VdcPS/VdcPS.psd1'),
    [string] $OutputPath = (Join-Path $PSScriptRoot '../out/demo'),
    # Servers seeded per demo tenant over the billed month.
    [int] $ServersPerTenant = 6
)
$ErrorActionPreference = 'Stop'
$repo = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$lab = if ($env:VDCPS_LAB_DIR) { $env:VDCPS_LAB_DIR } else { Join-Path $repo '.lab' }
$env:OS_CLIENT_CONFIG_FILE = Join-Path $lab 'clouds.yaml'
$env:VDCPS_PLAN_CATALOG = Join-Path $PSScriptRoot 'plans.yaml'
New-Item -ItemType Directory -Force -Path $OutputPath | Out-Null
$OutputPath = (Resolve-Path $OutputPath).Path
$env:VDCPS_JOURNAL = Join-Path $OutputPath 'audit-journal.jsonl'
$step = 0
function Step([string] $Text) {
    $script:step++
    Write-Host ''
    Write-Host ("[{0}] {1}" -f $script:step, $Text) -ForegroundColor Cyan
}

Step 'Load VdcPS'
Import-Module $ModulePath -Force
Get-VdcVersion | Format-Table Module, ModuleVersion, PowerShellVersion, Runtime, DependenciesIsolated | Out-Host

Step "Connect to the lab cloud 'vdcps-lab' (clouds.yaml: $env:OS_CLIENT_CONFIG_FILE)"
Connect-VdcCloud -Cloud vdcps-lab | Format-Table Name, UserName, Scope, Region, TokenExpiresAt | Out-Host

Step "The plans on sale (catalog $env:VDCPS_PLAN_CATALOG)"
Get-VdcPlan | Format-Table Name, DisplayName, Currency, MonthlyFee, SetupFee, QuotaCount | Out-Host

Step 'Check that the lab can measure every price of the catalog (Test-VdcPlan -Context)'
$unmeasured = @(Test-VdcPlan -Context (Get-VdcContext) | Where-Object Severity -eq 'Unmeasured')
if ($unmeasured.Count -eq 0) { Write-Host '  every rate of the catalog has a meter on this cloud' }
else { $unmeasured | Format-Table Plan, Rule, Message -Wrap | Out-Host }

# The billed month is the previous calendar month (UTC), as Get-VdcUsage assumes by default.
$today = [datetime]::UtcNow
$monthStart = [datetime]::new($today.Year, $today.Month, 1, 0, 0, 0, [DateTimeKind]::Utc).AddMonths(-1)
$monthEnd = $monthStart.AddMonths(1)

Step "Provision three customers (contracts started during $($monthStart.ToString('MMMM yyyy')))"
$purchases = @(
    [pscustomobject]@{ Name = 'demo-acme'; Plan = 'vdc-medium'; CustomerId = 'CUST-1001'; Email = 'cloud-admin@acme.example'; UserName = 'demo-acme-admin'; ActivatedAt = $monthStart }
    [pscustomobject]@{ Name = 'demo-globex'; Plan = 'vdc-small'; CustomerId = 'CUST-1002'; Email = 'it@globex.example'; UserName = 'demo-globex-admin'; ActivatedAt = $monthStart.AddDays(14) }
    [pscustomobject]@{ Name = 'demo-initech'; Plan = 'vdc-payg'; CustomerId = 'CUST-1003'; Email = 'ops@initech.example'; UserName = 'demo-initech-admin'; ActivatedAt = $monthStart.AddDays(9) }
)
$purchasesCsv = Join-Path $OutputPath 'purchases.csv'
$purchases | Export-Csv -Path $purchasesCsv -NoTypeInformation
& (Join-Path $PSScriptRoot 'Invoke-Onboarding.ps1') -PurchasesPath $purchasesCsv -HandoverPath (Join-Path $OutputPath 'handover') |
    Format-Table | Out-Host
# A fourth customer buys capacity: vdc-flex with 8 cores, 16 GB of RAM and 350 GB of storage,
# above the plan's bundle (4 cores, 8 GB, 200 GB), so the bill has allocation lines (about_VdcPS_Billing).
New-VdcTenant -Name demo-hooli -Plan vdc-flex -CustomerId CUST-1004 -Email 'infra@hooli.example' -UserName demo-hooli-admin `
    -ActivatedAt $monthStart.AddDays(4) -Quota @{ cores = 8; ram = 16384; gigabytes = 350 } | Format-Table Name, Plan, CustomerId, State | Out-Host
# The fifth customer runs real servers this month (billed for this month so far, see below).
$thisMonth = $monthEnd
$umbrella = @(Get-VdcTenant -Name 'demo-umbrella*' | Where-Object Name -eq 'demo-umbrella')[0]
if (-not $umbrella) {
    $umbrella = New-VdcTenant -Name demo-umbrella -Plan vdc-payg -CustomerId CUST-1005 -Email 'ops@umbrella.example' `
        -UserName demo-umbrella-admin -ActivatedAt $thisMonth
}
$tenants = @(Get-VdcTenant -Name 'demo-*' | Where-Object Name -ne 'demo-umbrella')
@($tenants) + $umbrella | Format-Table Name, Plan, CustomerId, State, Enabled, UserName, ActivatedAt | Out-Host

Step "Seed $($monthStart.ToString('MMMM yyyy'))'s usage: $ServersPerTenant servers per tenant, written into Nova's database"
$flavors = @(
    @{ name = 'm1.small'; vcpus = 1; memory_mb = 2048; root_gb = 20; ephemeral_gb = 0 }
    @{ name = 'm1.medium'; vcpus = 2; memory_mb = 4096; root_gb = 40; ephemeral_gb = 0 }
    @{ name = 'm1.large'; vcpus = 4; memory_mb = 8192; root_gb = 80; ephemeral_gb = 0 }
)
$random = [Random]::new(2026)
$instances = foreach ($t in $tenants) {
    $from = [datetime]::SpecifyKind([datetime]$t.ActivatedAt, 'Utc')
    foreach ($i in 1..$ServersPerTenant) {
        $start = $from.AddHours($random.Next(0, 72))
        $hours = $random.Next(24, [int]($monthEnd - $start).TotalHours)
        $stop = $start.AddHours($hours)
        [ordered]@{
            project_id = $t.Id
            name = '{0}-vm{1}' -f $t.Name, $i
            flavor = $flavors[$random.Next(0, $flavors.Count)]
            launched_at = $start.ToString('yyyy-MM-ddTHH:mm:ssZ')
            terminated_at = if ($stop -lt $monthEnd) { $stop.ToString('yyyy-MM-ddTHH:mm:ssZ') } else { $null }
        }
    }
}
$seedFile = Join-Path $OutputPath 'seeded-instances.json'
$instances | ConvertTo-Json -Depth 5 | Set-Content $seedFile
$seeder = Join-Path $repo 'tests/lab/seed-usage.py'
& /usr/bin/python3 $seeder @($tenants | ForEach-Object { '--clear-project'; $_.Id }) 2>&1 | Out-Null
$expected = & /usr/bin/python3 $seeder $seedFile --month $monthStart.ToString('yyyy-MM') 2>$null | ConvertFrom-Json
Write-Host ("    seeded {0} servers; the seeder expects {1} instance-hours in total" -f @($instances).Count, $expected.totals.instance_hours)

Step 'demo-umbrella runs real servers: boot two, stop one, delete one (the lab admin acts in its project)'
# openstack in the customer's project; the lab's admin gets the member role there for it
# (stdout only: warnings on stderr must not end up in the JSON)
function Invoke-UmbrellaOsc([string[]] $Arguments) {
    $errFile = [IO.Path]::GetTempFileName()
    try {
        $out = & openstack --os-cloud vdcps-lab --os-project-id $umbrella.Id @Arguments 2> $errFile
        if ($LASTEXITCODE -ne 0 -and (Get-Content -Raw $errFile) -match 'OperationalError') {
            # the lab's sqlite was locked by a big write (seeding): Nova rolled back, try once more
            Start-Sleep -Seconds 5
            $out = & openstack --os-cloud vdcps-lab --os-project-id $umbrella.Id @Arguments 2> $errFile
        }
        if ($LASTEXITCODE -ne 0) { throw "openstack $($Arguments -join ' ') failed: $out $(Get-Content -Raw $errFile)" }
        return $out
    }
    finally { Remove-Item -Path $errFile -ErrorAction SilentlyContinue }
}
& openstack --os-cloud vdcps-lab role add --user admin --project $umbrella.Id member
if ($LASTEXITCODE -ne 0) { throw 'openstack role add failed' }
foreach ($old in @(Invoke-UmbrellaOsc @('server', 'list', '-f', 'value', '-c', 'ID') | Where-Object { $_ })) {
    Invoke-UmbrellaOsc @('server', 'delete', '--wait', $old) | Out-Null
    Write-Host "    deleted $old (from an earlier run; its hours stay in Nova's usage)"
}
# no network: servers boot with microversion 2.37 networks "none" (tests/lab/NOTES.md)
$servers = foreach ($spec in @(@{ Name = 'demo-umbrella-web'; Flavor = 'm1.large' }, @{ Name = 'demo-umbrella-db'; Flavor = 'm1.medium' })) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $s = (Invoke-UmbrellaOsc @('--os-compute-api-version', '2.37', 'server', 'create', '--flavor', $spec.Flavor,
            '--image', 'vdcps-tiny', '--nic', 'none', '--wait', '-f', 'json', $spec.Name)) -join "`n" | ConvertFrom-Json
    $sw.Stop()
    # the host is an admin-only attribute: read it with the lab admin's own (admin-project) token
    $hostName = & openstack --os-cloud vdcps-lab server show $s.id -c OS-EXT-SRV-ATTR:host -f value
    Write-Host ("    booted {0} ({1}) on the fake hypervisor {2}: {3} in {4:0.0} s" -f $s.name, $spec.Flavor, $hostName, $s.status, $sw.Elapsed.TotalSeconds)
    $s
}
Invoke-UmbrellaOsc @('server', 'stop', $servers[1].id) | Out-Null
Write-Host "    stopped $($servers[1].name) (a stopped server still counts in Nova's usage until it is deleted or shelved)"
Invoke-UmbrellaOsc @('server', 'delete', '--wait', $servers[0].id) | Out-Null
Write-Host "    deleted $($servers[0].name); $($servers[1].name) stays (the next run deletes it)"
Invoke-UmbrellaOsc @('server', 'list', '-c', 'Name', '-c', 'Status', '-c', 'Flavor') | Out-Host
$realEnd = [datetime]::UtcNow

Step "Collect usage for $($monthStart.ToString('yyyy-MM-dd')) .. $($monthEnd.ToString('yyyy-MM-dd')) (UTC), and demo-umbrella's for this month so far"
$usage = @($tenants | Get-VdcUsage -Start $monthStart -End $monthEnd)
$realUsage = @($umbrella | Get-VdcUsage -Start $thisMonth -End $realEnd)
$usageCsv = Join-Path $OutputPath 'usage.csv'
$usage + $realUsage | Export-Csv -Path $usageCsv -NoTypeInformation
$usage + $realUsage | Format-Table TenantName, Resource, Quantity, Unit, Source, PeriodStart, PeriodEnd | Out-Host
# the oracle: Nova's own server lifetimes (openstack usage show), cut at the end of VdcPS's period
$nova = (& openstack --os-cloud vdcps-lab usage show --project $umbrella.Id --start $thisMonth.ToString('yyyy-MM-dd') `
        --end $realEnd.AddDays(1).ToString('yyyy-MM-dd') -f json) -join "`n" | ConvertFrom-Json
$novaVcpuHours = 0.0
foreach ($row in @($nova.Servers)) {
    $from = [datetime]::SpecifyKind([datetime]::Parse($row.started_at, [cultureinfo]::InvariantCulture), 'Utc')
    $to = if ($row.ended_at) { [datetime]::SpecifyKind([datetime]::Parse($row.ended_at, [cultureinfo]::InvariantCulture), 'Utc') } else { $realEnd }
    if ($to -gt $realEnd) { $to = $realEnd }
    if ($to -gt $from) { $novaVcpuHours += $row.vcpus * ($to - $from).TotalHours }
    Write-Host ("    Nova: {0,-18} {1,-9} {2,-10} from {3:HH:mm:ss} to {4}" -f $row.name, $row.flavor, $row.state, $from, $(if ($row.ended_at) { '{0:HH:mm:ss}' -f $to } else { 'now' }))
}
Write-Host ("    Nova's lifetimes give {0:0.0000} vCPU-hours up to {1:HH:mm:ss}; VdcPS collected {2:0.0000}" -f `
        $novaVcpuHours, $realEnd, [double](($realUsage | Where-Object Resource -eq 'vcpu-hour' | Measure-Object Quantity -Sum).Sum))

Step 'Rate usage against the plans into invoice lines'
# demo-umbrella alone (-Tenant) for this month so far; the others for the previous month
$lines = @($usage | Measure-VdcCharge -Start $monthStart -End $monthEnd) + @($realUsage | Measure-VdcCharge -Tenant $umbrella -Start $thisMonth -End $realEnd)
$linesCsv = Join-Path $OutputPath 'invoice-lines.csv'
$lines | Export-Csv -Path $linesCsv -NoTypeInformation
$lines | Format-Table CustomerId, TenantName, ChargeType, Quantity, UnitPrice, Amount, Currency | Out-Host
$lines | Where-Object ChargeType -eq Allocation | Format-Table TenantName, Description, Amount | Out-Host

Step 'Invoices per customer'
$lines | ConvertTo-VdcInvoice | Format-Table CustomerId, PeriodStart, PeriodEnd, Currency, LineCount, MonthlyFees, Allocations, SetupFees, ProfessionalServices, PayPerUse, Total | Out-Host
Write-Host '    CUST-1005 (demo-umbrella) pays for the minutes its real servers lived this month. At the sample'
Write-Host '    prices a few minutes are worth less than a cent, so here are its lines unrounded as well:'
$lines | Where-Object TenantName -eq 'demo-umbrella' | ForEach-Object {
    Write-Host ('      {0,-10} {1,-16} {2,10:0.0000} x {3,8:0.00000} = {4,8:0.000000} (invoiced {5:0.00} {6})' -f `
            $_.ChargeType, ($_.Description -split ':')[0], $_.Quantity, $_.UnitPrice, ($_.Quantity * $_.UnitPrice), $_.Amount, $_.Currency)
}

Step 'Done'
Write-Host "    billing CSV (invoice lines): $linesCsv"
Write-Host "    usage CSV:                   $usageCsv"
Write-Host "    credential hand-over files:  $(Join-Path $OutputPath 'handover')"
Write-Host "    audit journal:               $env:VDCPS_JOURNAL"
