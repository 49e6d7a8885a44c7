#Requires -Version 7.2
<#
    Billing files round-trip: usage and tenants exported with Export-Csv and read back with Import-Csv
    give Measure-VdcCharge the same lines as the direct pipe, byte for byte after export, in the
    invariant culture, en-US and de-DE (with -UseCulture), each in a fresh `pwsh -NonInteractive` with
    its culture set. Against the lab: two tenants made with New-VdcTenant, usage seeded into Nova for
    them (tests/lab/seed-usage.py), read with Get-VdcUsage -Detailed (totals and per-server rows).
    The pay-per-use amounts are also checked against a hand computation from the seeded lifetimes.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Billing CSV round trips against the lab' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog
        $script:Journal = $env:VDCPS_JOURNAL
        $script:Payg = New-VdcTenant -Name (New-TestTenantName 'rtp') -Plan vdc-payg -CustomerId 'RT-1' -CatalogPath $SampleCatalog
        $script:Small = New-VdcTenant -Name (New-TestTenantName 'rts') -Plan vdc-small -CustomerId 'RT-2' -CatalogPath $SampleCatalog

        # Usage of last month (wholly in the past), rated with this month's fees: [last month, next month).
        $now = [datetime]::UtcNow
        $script:MonthStart = [datetime]::new($now.Year, $now.Month, 1, 0, 0, 0, [DateTimeKind]::Utc)
        $script:From = $MonthStart.AddMonths(-1)
        $script:To = $MonthStart.AddMonths(1)
        $f = 'yyyy-MM-ddTHH:mm:ssZ'
        $instances = @(
            # payg: m1.small for 30.5 h and m1.medium for 7.25 h
            @{ project_id = $Payg.Id; name = 'rt-1'; flavor = @{ name = 'm1.small'; vcpus = 1; memory_mb = 2048; root_gb = 20 }
                launched_at = $From.AddHours(5.5).ToString($f); terminated_at = $From.AddHours(36).ToString($f) }
            @{ project_id = $Payg.Id; name = 'rt-2'; flavor = @{ name = 'm1.medium'; vcpus = 2; memory_mb = 4096; root_gb = 40 }
                launched_at = $From.AddDays(3).ToString($f); terminated_at = $From.AddDays(3).AddHours(7.25).ToString($f) }
            # small: compute is included in the plan (no line, and not a skipped row)
            @{ project_id = $Small.Id; name = 'rt-3'; flavor = @{ name = 'm1.small'; vcpus = 1; memory_mb = 2048; root_gb = 20 }
                launched_at = $From.AddDays(2).ToString($f); terminated_at = $From.AddDays(4).ToString($f) }
        ) | ConvertTo-Json -Depth 5
        $out = $instances | & /usr/bin/python3 (Join-Path $RepoRoot 'tests/lab/seed-usage.py') --lab $LabDir - --month $From.ToString('yyyy-MM') 2>&1
        if ($LASTEXITCODE -ne 0) { throw "seed-usage.py failed: $out" }

        $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('vdcps-roundtrip-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $Work | Out-Null

        # One fresh process per culture: collect, rate directly, export, import, rate again, export.
        function Invoke-RoundTrip([string] $Culture, [switch] $UseCulture) {
            $dir = Join-Path $Work ($Culture ? $Culture : 'invariant')
            New-Item -ItemType Directory $dir -Force | Out-Null
            $uc = if ($UseCulture) { '-UseCulture' } else { '' }
            $script = @"
`$ErrorActionPreference = 'Stop'
[cultureinfo]::CurrentCulture = $(if ($Culture) { "'$Culture'" } else { '[cultureinfo]::InvariantCulture' })
`$env:OS_CLIENT_CONFIG_FILE = '$LabClouds'
`$env:VDCPS_JOURNAL = '$Journal'
Import-Module '$ModulePath'
Connect-VdcCloud -Cloud vdcps-lab | Out-Null
`$names = '$($Payg.Name)', '$($Small.Name)'
`$ids = '$($Payg.Id)', '$($Small.Id)'
`$rate = @{ CatalogPath = '$SampleCatalog'; Start = [datetime]'$($From.ToString('o'))'; End = [datetime]'$($To.ToString('o'))' }
`$usage = Get-VdcUsage -Id `$ids -Start `$rate.Start -End `$rate.End -Source Nova -Detailed -WarningAction SilentlyContinue
`$tenants = Get-VdcTenant -Name `$names
# the direct pipe
`$usage | Measure-VdcCharge -Tenant `$tenants @rate -WarningVariable w1 -WarningAction SilentlyContinue | Export-Csv '$dir/direct.csv' $uc
# through files
`$usage | Export-Csv '$dir/usage.csv' $uc
`$tenants | Export-Csv '$dir/tenants.csv' $uc
Import-Csv '$dir/usage.csv' $uc | Measure-VdcCharge -Tenant (Import-Csv '$dir/tenants.csv' $uc) @rate -WarningVariable w2 -WarningAction SilentlyContinue |
    Export-Csv '$dir/roundtrip.csv' $uc
# and without -Start/-End: the period comes from the rows read back
Import-Csv '$dir/usage.csv' $uc | Measure-VdcCharge -Tenant (Import-Csv '$dir/tenants.csv' $uc) -CatalogPath '$SampleCatalog' -WarningAction SilentlyContinue |
    Export-Csv '$dir/roundtrip-period.csv' $uc
'W1 ' + (`$w1.Message -join ' | ')
'W2 ' + (`$w2.Message -join ' | ')
'ROWS ' + @(`$usage).Count + ' ' + @(`$usage | Where-Object IsDetail).Count
"@
            $output = Invoke-FreshPwsh $script
            return [pscustomobject]@{
                Dir = $dir
                Output = $output
                Warnings1 = ($output | Where-Object { $_ -like 'W1 *' }) -replace '^W1 '
                Warnings2 = ($output | Where-Object { $_ -like 'W2 *' }) -replace '^W2 '
                Rows = ($output | Where-Object { $_ -like 'ROWS *' }) -replace '^ROWS '
            }
        }

        # the hand computation, from the seeded lifetimes (vdc-payg prices of examples/plans.yaml)
        #   vcpu-hours     1 x 30.5 + 2 x 7.25      = 45      x 0.0125  = 0.5625  -> 0.56
        #   ram-gb-hours   2 x 30.5 + 4 x 7.25      = 90      x 0.0055  = 0.495   -> 0.50
        #   disk-gb-hours 20 x 30.5 + 40 x 7.25     = 900     x 0.00012 = 0.108   -> 0.11
        #   instance-hours     30.5 +      7.25     = 37.75   x 0.0010  = 0.03775 -> 0.04
        $script:Expected = @(
            "$($Payg.Name) PayPerUse disk-gb-hour 900 0.11"
            "$($Payg.Name) PayPerUse instance-hour 37.75 0.04"
            "$($Payg.Name) PayPerUse ram-gb-hour 90 0.50"
            "$($Payg.Name) PayPerUse vcpu-hour 45 0.56"
        )
    }
    AfterAll {
        & /usr/bin/python3 (Join-Path $RepoRoot 'tests/lab/seed-usage.py') --lab $LabDir --clear-project $Payg.Id --clear-project $Small.Id 2>&1 | Out-Null
        Remove-TestProject $Payg.Name
        Remove-TestProject $Small.Name
        Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
        Clear-TestLab
    }

    It 'gives the same lines through files as the direct pipe in <Name>, byte for byte' -ForEach @(
        @{ Name = 'the invariant culture'; Culture = ''; UseCulture = $false; Decimal = '.' }
        @{ Name = 'en-US'; Culture = 'en-US'; UseCulture = $false; Decimal = '.' }
        @{ Name = 'de-DE with -UseCulture'; Culture = 'de-DE'; UseCulture = $true; Decimal = ',' }
    ) {
        $r = Invoke-RoundTrip -Culture $Culture -UseCulture:$UseCulture
        $r.Output | Where-Object { $_ -match 'Exception|Error' } | Should -BeNullOrEmpty
        $direct = [IO.File]::ReadAllBytes("$($r.Dir)/direct.csv")
        [IO.File]::ReadAllBytes("$($r.Dir)/roundtrip.csv") | Should -Be $direct
        [IO.File]::ReadAllBytes("$($r.Dir)/roundtrip-period.csv") | Should -Be $direct

        # the files really are in the culture's format (the comma, day-first dates), and the per-server rows are in them
        $usageText = Get-Content -Raw "$($r.Dir)/usage.csv"
        if ($Culture -eq 'de-DE') {
            $usageText | Should -Match '"37,75"'
            $usageText | Should -Match ('"' + $From.ToString('dd.MM.yyyy') + ' 00:00:00";')
        }
        else { $usageText | Should -Match '"37.75"' }
        $usageText | Should -Match '"True"'

        # what the lines say: the hand computation, and the fees of the vdc-small tenant activated today
        $sep = $UseCulture ? (Get-Culture -Name $Culture).TextInfo.ListSeparator : ','
        $lines = Import-Csv "$($r.Dir)/direct.csv" -Delimiter $sep
        $lines | Where-Object ChargeType -eq PayPerUse | ForEach-Object { '{0} {1} {2} {3} {4}' -f $_.TenantName, $_.ChargeType, $_.Unit, $_.Quantity, $_.Amount } |
            Should -Be ($Expected -replace '\.', $Decimal)
        ($lines | Where-Object TenantName -eq $Small.Name).ChargeType | Should -Be @('MonthlyFee', 'SetupFee', 'ProfessionalService')

        # the per-server rows are skipped and said so, the same way both times
        # 4 resources (vcpu, ram, disk, instance hours): per tenant 4 totals, and 4 rows per server (3 servers)
        $r.Rows | Should -Be '20 12'
        $r.Warnings1 | Should -Be 'UsageSkipped: 12 of 20 usage rows skipped: 12 per-server rows (IsDetail).'
        $r.Warnings2 | Should -Be $r.Warnings1
    }

    It 'refuses a de-DE file read in en-US, naming the row and the column, and rates nothing from it' {
        $dir = Join-Path $Work 'de-DE'
        $script = @"
[cultureinfo]::CurrentCulture = 'en-US'
Import-Module '$ModulePath'
`$out = Import-Csv '$dir/usage.csv' -Delimiter ';' | Measure-VdcCharge -Tenant (Import-Csv '$dir/tenants.csv' -Delimiter ';' -ErrorAction SilentlyContinue) -CatalogPath '$SampleCatalog' -Start 2026-01-01 -End 2026-02-01 -ErrorVariable e -ErrorAction SilentlyContinue -WarningVariable w -WarningAction SilentlyContinue
'ERR ' + (`$e | Select-Object -First 1 | ForEach-Object { `$_.FullyQualifiedErrorId + ' | ' + `$_.Exception.Message })
'COUNT ' + @(`$e | Where-Object FullyQualifiedErrorId -like 'InputValue*').Count
'LINES ' + @(`$out | Where-Object ChargeType -eq PayPerUse).Count
'WARN ' + (`$w.Message | Where-Object { `$_ -like 'UsageSkipped:*' })
"@
        $output = Invoke-FreshPwsh $script
        ($output | Where-Object { $_ -like 'ERR *' }) | Should -BeLike "ERR InputValueInvalid,VdcPS.Commands.MeasureVdcChargeCommand | Row 1, column PeriodStart: '$($From.ToString('dd.MM.yyyy')) 00:00:00' is not a date*"
        # every usage row (20) and every tenant (2) is refused
        ($output | Where-Object { $_ -like 'COUNT *' }) | Should -Be 'COUNT 22'
        ($output | Where-Object { $_ -like 'LINES *' }) | Should -Be 'LINES 0'
        ($output | Where-Object { $_ -like 'WARN *' }) | Should -Be 'WARN UsageSkipped: 20 of 20 usage rows skipped: 20 unreadable (InputValueInvalid, InputValueAmbiguous, InputValueMissing).'
    }
}
