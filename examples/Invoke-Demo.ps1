<#
.SYNOPSIS
    The main job, end to end, against the local lab: connect, provision customers from the sample
    plans (one of them buys capacity above its plan's bundle), seed a month of usage, collect it,
    rate it and write the billing CSV.

.DESCRIPTION
    Run by `build.ps1 -Task Demo` after the build and the lab start. Every step says what it
    does; the output ends with where the files are. Safe to run again: the demo tenants are reused
    and their seeded usage is replaced.
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
$tenants = @(Get-VdcTenant -Name 'demo-*')
$tenants | Format-Table Name, Plan, CustomerId, State, Enabled, UserName | Out-Host

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

Step "Collect usage for $($monthStart.ToString('yyyy-MM-dd')) .. $($monthEnd.ToString('yyyy-MM-dd')) (UTC)"
$usage = @($tenants | Get-VdcUsage -Start $monthStart -End $monthEnd)
$usageCsv = Join-Path $OutputPath 'usage.csv'
$usage | Export-Csv -Path $usageCsv -NoTypeInformation
$usage | Format-Table TenantName, Resource, Quantity, Unit, Source | Out-Host

Step 'Rate usage against the plans into invoice lines'
$lines = @($usage | Measure-VdcCharge -Start $monthStart -End $monthEnd)
$linesCsv = Join-Path $OutputPath 'invoice-lines.csv'
$lines | Export-Csv -Path $linesCsv -NoTypeInformation
$lines | Format-Table CustomerId, TenantName, ChargeType, Quantity, UnitPrice, Amount, Currency | Out-Host
$lines | Where-Object ChargeType -eq Allocation | Format-Table TenantName, Description, Amount | Out-Host

Step 'Invoices per customer'
$lines | ConvertTo-VdcInvoice | Format-Table CustomerId, Currency, LineCount, MonthlyFees, Allocations, SetupFees, ProfessionalServices, PayPerUse, Total | Out-Host

Step 'Done'
Write-Host "    billing CSV (invoice lines): $linesCsv"
Write-Host "    usage CSV:                   $usageCsv"
Write-Host "    credential hand-over files:  $(Join-Path $OutputPath 'handover')"
Write-Host "    audit journal:               $env:VDCPS_JOURNAL"
